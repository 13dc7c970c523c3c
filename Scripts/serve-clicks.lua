-- wrk script for Scripts/serve-bench.sh: every request is a click on a different unit (RM2).
-- Arguments after `--`: MODEL LAYER HEIGHT CHANNELS IMAGES
--   IMAGES = 1: every click on image 0 (its forward passes cached: the cost of a click);
--   IMAGES > 1: images 0..IMAGES-1 in turn (the caches churn: a bounded-memory check).
local model, layer, height, channels, images = "vgg7", 5, 8, 96, 1
local counter = 0

function init(args)
  model = args[1] or model
  layer = tonumber(args[2] or layer)
  height = tonumber(args[3] or height)
  channels = tonumber(args[4] or channels)
  images = tonumber(args[5] or images)
  counter = math.random(0, 100000)
end

function request()
  counter = counter + 1
  local path = string.format(
    "/api/backmap?model=%s&precision=float&mode=rm2&image=%d&layer=%d&channel=%d&row=%d&column=%d",
    model, counter % images, layer, (counter * 7) % channels, (counter * 3) % height, (counter * 5) % height)
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d median_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d non_2xx=%d\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
