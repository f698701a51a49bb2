"""`cclint server`: a real LSP exchange over stdio, and the editor answers it computes."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="`cclint server` needs the lsp extra (pygls)")

from lsprotocol import types as T  # noqa: E402

from cclint.lsp import documents  # noqa: E402

SALLOC = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\nsalloc -n 1\npython train.py\n"


class Client:
    """A minimal LSP client: Content-Length framing over the server's stdin/stdout."""

    def __init__(self, *args: str, cwd: str | None = None):
        self.proc = subprocess.Popen([sys.executable, "-m", "cclint", "server", *args], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.lower()] = value.strip()
            self.inbox.put(json.loads(out.read(int(headers["content-length"]))))

    def send(self, method: str, params: dict, request: bool = False) -> int | None:
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return message.get("id")

    def reply(self, ident, result) -> None:
        """Answer a request of the server (such as client/registerCapability)."""
        body = json.dumps({"jsonrpc": "2.0", "id": ident, "result": result}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def wait(self, match, timeout: float = 60) -> dict:
        while True:
            try:
                message = self.inbox.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError("the server did not answer") from None
            if match(message):
                return message

    def request(self, method: str, params: dict) -> dict:
        ident = self.send(method, params, request=True)
        return self.wait(lambda m: m.get("id") == ident and "method" not in m)

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.send("exit", {})
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                stream.close()


@pytest.fixture
def client(tmp_path):
    c = Client(cwd=str(tmp_path))
    init = c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {}})
    c.send("initialized", {})
    c.capabilities = init["result"]["capabilities"]
    yield c
    c.close()


def _published(client: Client, uri: str) -> dict:
    return client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                       and m["params"]["uri"] == uri)["params"]


def _open(client: Client, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "shellscript",
                                                          "version": version, "text": text}})
    return uri


def test_initialize_and_publish_diagnostics_on_open(client, tmp_path):
    assert client.capabilities["hoverProvider"]
    assert "quickfix" in client.capabilities["codeActionProvider"]["codeActionKinds"]
    uri = _open(client, tmp_path / "job.sh", SALLOC)
    params = _published(client, uri)
    found = {d["code"]: d for d in params["diagnostics"]}
    salloc = found["CC501 salloc-in-script"]
    assert salloc["source"] == "cclint"
    assert salloc["severity"] == 1  # Error
    assert salloc["range"]["start"] == {"line": 3, "character": 0}
    assert "salloc" in salloc["message"] and "fix:" in salloc["message"]


def test_changes_relint_and_close_clears(client, tmp_path):
    uri = _open(client, tmp_path / "job.sh", SALLOC)
    assert _published(client, uri)["diagnostics"]
    fixed = SALLOC.replace("salloc -n 1\n", "")
    client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                           "contentChanges": [{"text": fixed}]})
    params = _published(client, uri)
    assert params["version"] == 2
    assert not [d for d in params["diagnostics"] if "salloc" in d["code"]]
    client.send("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert _published(client, uri)["diagnostics"] == []


def test_code_action_and_hover_over_stdio(client, tmp_path):
    uri = _open(client, tmp_path / "job.sh", SALLOC)
    diags = _published(client, uri)["diagnostics"]
    salloc = next(d for d in diags if "salloc" in d["code"])
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": salloc["range"], "context": {"diagnostics": [salloc]}})["result"]
    titles = [a["title"] for a in actions]
    assert any("Disable salloc-in-script" in t for t in titles), titles
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 1, "character": 11}})["result"]
    assert "--time" in hover["contents"]["value"] and "HH:MM:SS" in hover["contents"]["value"]


def test_a_broken_configuration_is_a_diagnostic_not_a_crash(client, tmp_path):
    (tmp_path / ".cclint.yaml").write_text("ignore: [no-such-rule]\n", encoding="utf-8")
    uri = _open(client, tmp_path / "job.sh", SALLOC)
    params = _published(client, uri)
    assert len(params["diagnostics"]) == 1
    assert "cclint cannot lint this file" in params["diagnostics"][0]["message"]
    assert ".cclint.yaml" in params["diagnostics"][0]["message"]
    # the server is still alive and answers
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": 0, "character": 0}})["result"] is None


# -- the answers themselves (no server) -------------------------------------------------------


def _lint(tmp_path, text, name="job.sh", **options):
    return documents.lint_document((tmp_path / name).as_uri(), text, **options)


def _rules(linted):
    return {d.rule for d in linted.result.diagnostics}


def test_configuration_is_found_from_the_documents_path(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / ".cclint.yaml").write_text("ignore: [salloc-in-script]\n", encoding="utf-8")
    assert "salloc-in-script" in _rules(_lint(tmp_path, SALLOC))
    assert "salloc-in-script" not in _rules(_lint(tmp_path, SALLOC, "course/job.sh"))
    assert "salloc-in-script" in _rules(_lint(tmp_path, SALLOC, "course/job.sh", isolated=True))


def test_relative_log_directories_are_checked_in_the_scripts_folder(tmp_path):
    text = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\n#SBATCH --output=logs/%j.out\necho hi\n"
    assert "output-dir-missing" in _rules(_lint(tmp_path, text, cwd="/"))
    (tmp_path / "logs").mkdir()
    assert "output-dir-missing" not in _rules(_lint(tmp_path, text, cwd="/"))


def test_only_job_scripts_are_linted(tmp_path):
    assert _lint(tmp_path, "#!/bin/bash\npip install numpy\n", "setup.sh") is None
    assert _lint(tmp_path, "#!/bin/bash\n#SBATCH --time=1\npip install numpy\n", "setup.sh") is not None
    assert _lint(tmp_path, "#!/bin/bash\necho hi\n", "run.sbatch") is not None
    assert _lint(tmp_path, "#!/bin/bash\n#   #SBATCH --time=1\n", "notes.sh") is None  # not at column 0


def test_files_the_configuration_excludes_are_not_linted(tmp_path):
    (tmp_path / ".cclint.yaml").write_text("exclude: [templates/]\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    assert _lint(tmp_path, SALLOC, "templates/job.sh") is None
    assert _lint(tmp_path, SALLOC, "job.sh") is not None


def test_columns_are_utf16_units(tmp_path):
    # `é` is one unit, the emoji two: the marker under --gres=gpu:4 moves by three.
    text = "#!/bin/bash\n#SBATCH --job-name=é😀 --gres=gpu:4\n#SBATCH --time=01:00:00\npython train.py\n"
    linted = _lint(tmp_path, text)
    d = next(d for d in linted.result.diagnostics if d.rule == "multi-gpu-request")
    lsp = next(x for x in documents.diagnostics(linted) if x.code.endswith("multi-gpu-request"))
    assert lsp.range.start.character == d.column - 1 + 1


def test_fix_edits_map_to_editor_positions_in_a_crlf_file(tmp_path):
    text = SALLOC.replace("\n", "\r\n")
    linted = _lint(tmp_path, text)
    line = T.Range(start=T.Position(line=3, character=0), end=T.Position(line=3, character=0))
    actions = documents.code_actions(linted, line)
    delete = next(a for a in actions if a.title.startswith("Delete"))
    assert "unsafe" in delete.title and not delete.is_preferred
    (edit,) = delete.edit.changes[linted.uri]
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character) \
        == (3, 0, 4, 0)
    disable = next(a for a in actions if a.title.startswith("Disable salloc"))
    (insert,) = disable.edit.changes[linted.uri]
    assert insert.new_text == "# cclint: disable-next-line=salloc-in-script\r\n"
    crlf = next(a for a in documents.code_actions(linted, T.Range(start=T.Position(line=0, character=0),
                                                                   end=T.Position(line=9, character=0)))
                if "\\r\\n" in a.title)
    assert len(crlf.edit.changes[linted.uri]) == text.count("\r\n")


def _apply(text: str, edits: list[T.TextEdit]) -> str:
    """Apply edits as an editor does: lines end at \\r\\n, \\n or a lone \\r; columns in UTF-16."""
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    def offset(p):
        start = starts[p.line]
        units = 0
        while units < p.character:
            units += 2 if ord(text[start]) > 0xFFFF else 1
            start += 1
        return start
    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def test_the_disable_action_silences_the_finding_and_keeps_continued_commands_whole(tmp_path):
    text = ("#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\n"
            "  echo start && \\\n    salloc -n 1\npython train.py\n")
    linted = _lint(tmp_path, text)
    d = next(d for d in linted.result.diagnostics if d.rule == "salloc-in-script")
    at = documents.position(linted.source, d.line, d.column)
    actions = documents.code_actions(linted, T.Range(start=at, end=at))
    disable = next(a for a in actions if a.title.startswith("Disable salloc"))
    fixed = _apply(text, disable.edit.changes[linted.uri])
    assert "  # cclint: disable-next-line=salloc-in-script\n  echo start && \\\n    salloc" in fixed
    assert "salloc-in-script" not in _rules(_lint(tmp_path, fixed))


def test_no_disable_action_inside_a_here_document_or_above_the_shebang(tmp_path):
    text = "#!/bin/bash\n#SBATCH --time=01:00:00\ncat <<EOF\nsalloc -n 1\nEOF\n"
    linted = _lint(tmp_path, text)
    from cclint.suppress import disable_next_line

    assert disable_next_line(linted.script, 4, "salloc-in-script") is None
    assert disable_next_line(linted.script, 1, "missing-account") is None
    assert disable_next_line(linted.script, 2, "missing-account") == (len("#!/bin/bash\n"),
                                                                       "# cclint: disable-next-line=missing-account\n")


def test_hover_explains_the_option_under_the_cursor_and_nothing_elsewhere(tmp_path):
    linted = _lint(tmp_path, "#!/bin/bash\n#SBATCH --mem=16G --gres=gpu:1\n#SBATCH --time=01:00:00\npython x.py\n")
    mem = documents.hover(linted, T.Position(line=1, character=10)).contents.value
    assert "--mem" in mem and "K, M, G or T" in mem
    gres = documents.hover(linted, T.Position(line=1, character=20)).contents.value
    assert "--gres" in gres and "--mem" not in gres
    assert documents.hover(linted, T.Position(line=3, character=2)) is None


def test_hover_on_a_finding_gives_its_rule_page(tmp_path):
    linted = _lint(tmp_path, SALLOC)
    text = documents.hover(linted, T.Position(line=3, character=1)).contents.value
    assert "CC501 salloc-in-script" in text and "cclint rule salloc-in-script" in text


def test_server_without_pygls_says_how_to_install_it(tmp_path):
    # A Python where pygls cannot be imported: the command explains instead of a traceback.
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('no pygls here')\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    done = subprocess.run([sys.executable, "-m", "cclint", "server"], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 2
    assert "lsp" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("encoding, column", [("utf-8", 26), ("utf-16", 23), ("utf-32", 22)])
def test_columns_follow_the_position_encoding_the_server_chose(tmp_path, encoding, column):
    # A client that offers UTF-8 first (Neovim does) gets UTF-8 columns: the server says it
    # chose UTF-8, so a UTF-16 column would put the marker three columns off after `é😀`.
    c = Client(cwd=str(tmp_path))
    try:
        init = c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(),
                                        "capabilities": {"general": {"positionEncodings": [encoding]}}})
        c.send("initialized", {})
        assert init["result"]["capabilities"]["positionEncoding"] == encoding
        text = "#!/bin/bash\n#SBATCH --job-name=é😀 --gres=gpu:4\n#SBATCH --time=01:00:00\npython train.py\n"
        uri = _open(c, tmp_path / "job.sh", text)
        gpu = next(d for d in _published(c, uri)["diagnostics"] if d["code"].endswith("multi-gpu-request"))
        assert gpu["range"]["start"] == {"line": 1, "character": column}
        assert gpu["range"]["end"]["character"] == column + len("--gres=gpu:4")
        hover = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": 1, "character": column + 2}})["result"]
        assert "--gres" in hover["contents"]["value"] and "--job-name" not in hover["contents"]["value"]
    finally:
        c.close()


@pytest.mark.parametrize("text, rule", [
    ("#SBATCH --account=def-lab\n#SBATCH --time=01:00:00\necho hi\n", "missing-shebang"),
    ("\n#!/bin/bash\n#SBATCH --account=def-lab\n#SBATCH --time=01:00:00\necho hi\n", "missing-shebang"),
    ("#!/bin/bash\n#SBATCH --account=def-lab\n#SBATCH --time=01:00:00\necho hi\r\necho bye\n", "crlf-line-endings"),
])
def test_no_disable_action_for_a_finding_no_comment_above_can_silence(tmp_path, text, rule):
    # These findings are about the file (its first line, its first \r\n line end): a comment
    # inserted above becomes that line, so `disable-next-line` would silence nothing.
    linted = _lint(tmp_path, text)
    d = next(d for d in linted.result.diagnostics if d.rule == rule)
    at = documents.position(linted.source, d.line, d.column)
    actions = documents.code_actions(linted, T.Range(start=at, end=at))
    for disable in [a for a in actions if a.title.startswith(f"Disable {rule}")]:
        fixed = _apply(text, disable.edit.changes[linted.uri])
        assert rule not in _rules(_lint(tmp_path, fixed)), fixed


def test_a_lone_cr_ends_a_line_for_the_editor(tmp_path):
    # LSP counts a lone \r as a line end (bash and cclint do not): ranges and the unsafe
    # "Convert \r to \n" fix must use the editor's lines, or the fix scrambles the file.
    text = "#!/bin/bash\r#SBATCH --time=01:00:00\r#SBATCH --account=def-x\recho hi\r"
    linted = _lint(tmp_path, text, "job.sbatch")
    crlf = next(x for x in documents.diagnostics(linted) if x.code.endswith("crlf-line-endings"))
    assert (crlf.range.start.line, crlf.range.start.character) == (0, 0)
    assert crlf.range.end.line == 4
    actions = documents.code_actions(linted, crlf.range)
    convert = next(a for a in actions if a.title.startswith("Convert"))
    assert _apply(text, convert.edit.changes[linted.uri]) == text.replace("\r", "\n")


def test_the_server_asks_the_client_to_watch_the_configuration_files(tmp_path):
    # Editors (Neovim, Helix, eglot...) send workspace/didChangeWatchedFiles only for the
    # globs a server registers: without it, editing .cclint.yaml never relints.
    c = Client(cwd=str(tmp_path))
    try:
        c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}})
        c.send("initialized", {})
        ask = c.wait(lambda m: m.get("method") == "client/registerCapability", timeout=20)
        c.reply(ask["id"], None)
        (registration,) = ask["params"]["registrations"]
        assert registration["method"] == "workspace/didChangeWatchedFiles"
        globs = {w["globPattern"] for w in registration["registerOptions"]["watchers"]}
        assert {"**/.cclint.yaml", "**/.cclint.yml", "**/pyproject.toml"} <= globs
        # the client then reports a change: the open document is linted again with it
        uri = _open(c, tmp_path / "job.sh", SALLOC)
        assert _published(c, uri)["diagnostics"]
        (tmp_path / ".cclint.yaml").write_text("ignore: [salloc-in-script]\n", encoding="utf-8")
        c.send("workspace/didChangeWatchedFiles", {"changes": [{"uri": (tmp_path / ".cclint.yaml").as_uri(),
                                                                "type": 1}]})
        assert _published(c, uri)["diagnostics"] == []
    finally:
        c.close()


def test_no_registration_for_a_client_that_cannot_take_it(client, tmp_path):
    uri = _open(client, tmp_path / "job.sh", SALLOC)
    assert _published(client, uri)["diagnostics"]
    assert client.inbox.empty()  # nothing but the diagnostics: no registerCapability request


def test_a_byte_order_mark_in_the_buffer_counts_on_the_first_line(tmp_path):
    # The editor's first line holds the BOM (one UTF-16 unit) that cclint strips: columns
    # there move by one, and the "Remove the byte-order mark" fix deletes it.
    text = "\ufeff#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\npython train.py\n"
    linted = _lint(tmp_path, text)
    bom = next(x for x in documents.diagnostics(linted) if x.code.endswith("missing-shebang"))
    assert (bom.range.start.character, bom.range.end.character) == (1, 12)
    (remove,) = [a for a in documents.code_actions(linted, bom.range) if a.title.startswith("Remove")]
    assert _apply(text, remove.edit.changes[linted.uri]) == text[1:]


def test_a_finding_on_sbatchs_environment_is_not_put_on_a_line_of_the_script(tmp_path, monkeypatch):
    # SBATCH_GRES of the editor's environment: the finding is about `environment:1`, not
    # about line 1 of the script (`#!/bin/bash`), and no comment in the script can go above it.
    monkeypatch.setenv("SBATCH_GRES", "gpu:4")
    text = "#!/bin/bash\n#SBATCH --time=01:00:00\n#SBATCH --account=def-lab\n\n\npython train.py\n"
    linted = _lint(tmp_path, text)
    assert any(d.path == "environment" for d in linted.result.diagnostics)
    gpu = next(x for x in documents.diagnostics(linted) if x.code.endswith("multi-gpu-request"))
    assert gpu.message.startswith("environment:1: ") and "SBATCH_GRES=gpu:4" in gpu.message
    assert (gpu.range.start.line, gpu.range.start.character, gpu.range.end.line, gpu.range.end.character) == (0, 0, 0, 0)
    assert not [a for a in documents.code_actions(linted, gpu.range) if "multi-gpu-request" in a.title]
