"""The language server: pygls over stdio, every answer computed by `cclint.lsp.documents`.

A document is linted when it is opened, changed or saved, and again when a configuration
file changes; its diagnostics are cleared when it is closed. A broken configuration is one
error diagnostic on the file, never a crash of the server.
"""

from __future__ import annotations

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer

from cclint import __version__
from cclint.lsp import documents

_CONFIG_NAMES = (".cclint.yaml", ".cclint.yml", "pyproject.toml")


class CclintServer(LanguageServer):
    def __init__(self, *, config: str | None = None, isolated: bool = False):
        super().__init__("cclint", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Full)
        self.config, self.isolated = config, isolated
        self.linted: dict[str, documents.Linted] = {}

    def lint(self, uri: str) -> None:
        from cclint.config import ConfigError

        document = self.workspace.get_text_document(uri)
        try:
            linted = documents.lint_document(uri, document.source, config=self.config, isolated=self.isolated,
                                             encoding=self.workspace.position_encoding or documents.UTF16)
        except ConfigError as exc:
            self.linted.pop(uri, None)
            found = documents.failure(f"cclint cannot lint this file: {exc}")
        else:
            if linted is None:  # not a job script: nothing to say
                self.linted.pop(uri, None)
                found = []
            else:
                self.linted[uri] = linted
                found = documents.diagnostics(linted)
        self.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version))

    def forget(self, uri: str) -> None:
        self.linted.pop(uri, None)
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def build(config: str | None = None, isolated: bool = False) -> CclintServer:
    server = CclintServer(config=config, isolated=isolated)

    def relint(ls: CclintServer, params) -> None:
        ls.lint(params.text_document.uri)

    for event in (T.TEXT_DOCUMENT_DID_OPEN, T.TEXT_DOCUMENT_DID_CHANGE, T.TEXT_DOCUMENT_DID_SAVE):
        server.feature(event)(relint)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CclintServer, params: T.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(T.INITIALIZED)
    def initialized(ls: CclintServer, params: T.InitializedParams) -> None:
        # Clients send workspace/didChangeWatchedFiles only for the files a server asks them
        # to watch, and only a client that can take the request may be asked.
        from pygls.capabilities import get_capability

        if get_capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
            watchers = [T.FileSystemWatcher(glob_pattern=f"**/{name}") for name in _CONFIG_NAMES]
            ls.client_register_capability(T.RegistrationParams(registrations=[T.Registration(
                id="cclint-configuration", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: CclintServer, params: T.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(_CONFIG_NAMES) for change in params.changes):
            for uri in list(ls.workspace.text_documents):
                ls.lint(uri)

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
    def code_action(ls: CclintServer, params: T.CodeActionParams) -> list[T.CodeAction]:
        linted = ls.linted.get(params.text_document.uri)
        return documents.code_actions(linted, params.range) if linted else []

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    def hover(ls: CclintServer, params: T.HoverParams) -> T.Hover | None:
        linted = ls.linted.get(params.text_document.uri)
        return documents.hover(linted, params.position) if linted else None

    return server


def serve(config: str | None = None, isolated: bool = False) -> None:
    build(config, isolated).start_io()
