import Foundation

/// The render step: notebooks and their run outcomes to finished pages — numbering, output
/// math, KaTeX (one process for all pages), and each page's HTML through the templates, with
/// its search sections and its description as HTML. Writes nothing; ``SiteStep`` does.
struct RenderStep: PipelineStep {
    /// What to render.
    struct Input: Sendable {
        /// The notebooks; those without an outcome are not rendered.
        var notebooks: [Notebook]
        /// The run outcomes by notebook name.
        var outcomes: [String: NotebookRunner.Outcome]
        /// Every page of the site in course order, for the sidebar and previous/next links.
        var pages: [SitePage]
        /// Whether the sidebar links the unit explorer.
        var linksExplorer: Bool
        /// The file named by errors that have no place of their own (the site folder).
        var reportedFile: String
    }

    /// ``PipelineStage/render``.
    static let stage = PipelineStage.render

    /// The site's configuration: title, code folding, project root, log.
    var configuration: SiteBuilder.Configuration

    /// The input's reported file.
    func file(of input: Input) -> String { input.reportedFile }

    /// Renders every notebook of `input` that has an outcome, in the notebooks' order.
    ///
    /// - Throws: ``NotebookError`` at the notebook's line: an unknown reference, math KaTeX
    ///   cannot typeset, an image that is not a file inside the notebook's folder.
    func perform(_ input: Input) throws -> [RenderedNotebook] {
        var prepared: [Prepared] = []
        for notebook in input.notebooks {
            guard let outcome = input.outcomes[notebook.name] else { continue }
            let numbering = try Numbering(notebook: notebook, record: outcome.record)
            prepared.append(
                Prepared(
                    notebook: notebook, outcome: outcome, numbering: numbering,
                    outputMath: try OutputMath(
                        notebook: notebook, record: outcome.record, targets: numbering.targets)))
        }
        try typeset(&prepared)
        return try prepared.map { try render($0, pages: input.pages, linksExplorer: input.linksExplorer) }
    }

    /// Renders one prepared notebook's page.
    private func render(_ item: Prepared, pages: [SitePage], linksExplorer: Bool) throws -> RenderedNotebook {
        let notebook = item.notebook
        let (previous, next) = SiteNavigation.neighbours(of: notebook.name, in: pages)
        let images = try ProseImages(
            of: notebook,
            folder: SiteBuilder.fileURL(of: notebook, projectRoot: configuration.runner.projectRoot)
                .deletingLastPathComponent())
        var page = PageRenderer(
            notebook: notebook, record: item.outcome.record, numbering: item.numbering,
            mathHTML: item.mathHTML, assetFolder: HTML.urlPath(notebook.name) + "/",
            siteTitle: configuration.siteTitle, previous: previous, next: next
        )
        page.sidebar = SiteNavigation.sidebar(
            pages: pages, current: notebook.name, siteTitle: configuration.siteTitle,
            linksExplorer: linksExplorer)
        page.foldsCodeByDefault = configuration.foldsCodeByDefault
        page.outputMath = item.outputMath
        page.outputDirectory = item.outcome.outputDirectory
        page.imageSources = images.sources
        return RenderedNotebook(
            notebook: notebook, outcome: item.outcome, page: page.render(), images: images,
            descriptionHTML: item.outputMath.render(
                notebook.frontMatter.description, targets: item.numbering.targets))
    }
}

/// One notebook's rendered page, ready for ``SiteStep`` to write.
struct RenderedNotebook: Sendable {
    /// The notebook.
    var notebook: Notebook
    /// Its run outcome (the output files to copy).
    var outcome: NotebookRunner.Outcome
    /// The page's HTML and search sections.
    var page: RenderedPage
    /// The prose's images to copy.
    var images: ProseImages
    /// The front matter's description as HTML, its math typeset.
    var descriptionHTML: String
}

extension RenderStep {
    /// A notebook ready to typeset: its numbering and the math of its outputs.
    struct Prepared {
        var notebook: Notebook
        var outcome: NotebookRunner.Outcome
        var numbering: Numbering
        var outputMath: OutputMath
        var mathHTML: [String] = []
    }
}
