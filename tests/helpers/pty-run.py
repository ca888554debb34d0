"""Runs a command on a real pseudo-terminal and answers its prompts, for CLI tests that need a TTY.

Usage: pty-run.py '<json: {"argv": [...], "steps": [[regex, answer], ...], "timeout": s}>'
Prints one JSON line: {"code": exit status or null, "output": everything the terminal showed}.
"""
import json, os, pty, re, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(spec["argv"][0], spec["argv"])

out = b""
deadline = time.time() + spec.get("timeout", 20)
steps = list(spec["steps"])
seen = 0
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if steps and re.search(steps[0][0], out[seen:].decode("utf8", "replace")):
        seen = len(out)
        os.write(fd, steps.pop(0)[1].encode("utf8"))
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
print(json.dumps({"code": code, "output": out.decode("utf8", "replace"), "unanswered": [s[0] for s in steps]}))
