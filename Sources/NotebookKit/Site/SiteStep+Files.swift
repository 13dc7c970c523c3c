import Foundation

extension SiteStep {
    /// Copies the files a notebook's outputs name (charts, images) into `<name>/`.
    ///
    /// - Throws: ``NotebookError`` of the notebook when a stored output file is missing.
    func copyOutputs(
        of notebook: Notebook, outcome: NotebookRunner.Outcome, into staging: URL
    ) throws {
        let files = outcome.record.blocks.flatMap(\.items).compactMap(\.figure?.file).sorted()
        guard !files.isEmpty else { return }
        let folder = staging.appendingPathComponent(notebook.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files where !file.contains("/") && !file.hasPrefix(".") {
            let source = outcome.outputDirectory.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw NotebookError(
                    file: notebook.path,
                    message: "stored output file \(source.path) is missing; run again with --force"
                )
            }
            try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(file))
        }
    }

    /// Copies the notebook's Markdown next to its outputs, for readers to download.
    func copySource(of notebook: Notebook, into staging: URL) throws {
        let folder = staging.appendingPathComponent(notebook.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: SiteBuilder.fileURL(of: notebook, projectRoot: configuration.runner.projectRoot),
            to: folder.appendingPathComponent("\(notebook.name).md")
        )
    }

    /// Copies the prose's images to their places in the site (`<name>/media/`).
    func copyProseImages(_ images: ProseImages, into staging: URL) throws {
        for image in images.images {
            let target = staging.appendingPathComponent(image.sitePath)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: image.source, to: target)
        }
    }
}
