"""`cclint server`: the Language Server Protocol face of cclint, for editors.

    documents.py   what the editor holds -> a lint with the file's own configuration,
                   and what the editor needs back: ranges in its units, quick fixes, hovers
    server.py      pygls wiring over stdio (imported only by `cclint server`; pygls is the
                   optional extra `cclint[lsp]`)
"""
