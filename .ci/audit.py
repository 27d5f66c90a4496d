"""`make audit`: pip-audit over the installed dependencies, said plainly.

pip-audit prints "No known vulnerabilities found" even when it could audit none of the packages
(the advisory service unreachable, as on a machine without internet). This wrapper reads its JSON
and says how many packages were really audited:
- a known vulnerability: the packages and advisories, exit 1;
- none audited: "Ingen sårbarhetskontroll kunde göras" with the reason, exit 0 (an offline machine
  cannot check, and that is said, not hidden); set WORKBENCH_AUDIT_REQUIRED=1 to fail instead;
- otherwise: how many were audited and how many could not be, exit 0.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    run = subprocess.run([str(pip_audit), "--progress-spinner", "off", "--skip-editable", "--desc", "off",
                          "-f", "json"], capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(run.stderr)
        print(f"Sårbarhetskontrollen misslyckades: pip-audit gav inget läsbart svar (slutkod {run.returncode}).")
        return 1
    lines, code = verdict(report, required=os.environ.get("WORKBENCH_AUDIT_REQUIRED") == "1")
    print("\n".join(lines))
    return code


def verdict(report: dict, *, required: bool = False) -> tuple[list[str], int]:
    """The lines to print and the exit code for pip-audit's JSON report."""
    out: list[str] = []
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in dep["vulns"])
        out.append(f"SÅRBAR: {dep['name']} {dep.get('version', '')}: {ids}")
    if vulnerable:
        out.append(f"{len(vulnerable)} av {len(audited)} kontrollerade paket har kända sårbarheter.")
        return out, 1
    if not audited:
        reason = skipped[0]["skip_reason"] if skipped else "inga paket hittades"
        out.append(f"Ingen sårbarhetskontroll kunde göras: 0 av {len(deps)} paket kontrollerades "
                   f"(t.ex. {reason}). Sårbarhetstjänsten nås troligen inte från den här maskinen.")
        return out, 1 if required else 0
    out.append(f"Inga kända sårbarheter i {len(audited)} kontrollerade paket"
               + (f"; {len(skipped)} paket kunde inte kontrolleras." if skipped else "."))
    return out, 0


if __name__ == "__main__":
    raise SystemExit(main())
