# Sourced by train.sh / export.sh: creates Training/.venv from requirements.txt if missing.
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.installed" ]; then
    echo "creating $venv" >&2
    python3.11 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
    links=()
    [ -d /tmp/pipcheck ] && links=(--find-links /tmp/pipcheck)
    "$venv/bin/pip" install --quiet "${links[@]}" -r "$here/requirements.txt"
    touch "$venv/.installed"
fi
PY="$venv/bin/python"
