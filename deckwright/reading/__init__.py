"""Reading a project: discovery, metadata, slides, blocks and inline text, dialects, data tables.

The way one Markdown file goes, module by module:

    project.py      finds deck.yaml, the slide files and the data tables; reads each file below
    reader.py       the entry points: parse_file (text → tokens, metadata, options), read_tokens
    source.py         the text cleaned; its front matter found
    dialects/         which dialect (detect.py); its front matter sorted (frontmatter.py); what
                      differs in Marp, reveal.js, pandoc (marp.py, reveal.py, pandoc.py)
    markdown/         the dialect's markdown-it parser: one plugin per file, their order in __init__
    meta.py           front matter and deck.yaml values checked
    context.py        what reading one file shares (settings, paths.py's policy, report.py)
    slides.py         top-level blocks → slides (breaks, titles, stacks; steps.py, draft.py)
    blocks.py         block nodes → blocks (images.py, inline.py, directives.py, datatables/)
"""
