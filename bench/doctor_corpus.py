"""Print the `rampart doctor` acceptance tables: every weakening of our corpus (tests/doctor_corpus.py)
and the baseline id doctor detected for it, the medium+ findings of each pristine combination, then
the real-world corpus (tests/realworld_corpus.py): per application found/labelled problems, false
positives, unjudged findings and runtime, with recall and precision over both corpora.

    python bench/doctor_corpus.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.doctor import DoctorOptions, run_doctor
from generator.new import NewOptions, create_service
from tests.combinations import AUTH_VARIANTS, SUPPORTED_COMBINATIONS, combination_id
from tests.doctor_corpus import WEAKENINGS, audit, corpus_table, medium_or_worse, prepare
from tests.realworld_corpus import apps, audit_app, load_app
from tests.realworld_corpus import table as realworld_table

REALWORLD_RECALL, REALWORLD_PRECISION, MAX_SECONDS = 0.90, 0.95, 10


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="rampart-corpus-") as tmp:
        base = Path(tmp)
        rendered: dict[str, Path] = {}

        def render(**answers) -> Path:
            key = combination_id(answers)
            if key not in rendered:
                dest = base / "rendered" / key / "svc"
                create_service(NewOptions(dest=dest, data=answers, defaults=True, install=False, git=False))
                rendered[key] = dest
            return rendered[key]

        express = {"framework": "express", "language": "javascript"}
        rows = []
        for index, weakening in enumerate(WEAKENINGS):
            project = prepare(render(**express, **weakening.variant), base / f"weak{index}" / "svc")
            weakening.weaken(project)
            flagged = {str(f.baseline) for f in audit(project, "drift") if f.rule == weakening.rule}
            rows.append((weakening.kind, weakening.baseline, weakening.rule, ",".join(sorted(flagged)) or "-"))
        print(corpus_table(rows))
        print()
        clean, false_alarms = True, 0
        for combo in SUPPORTED_COMBINATIONS:
            for auth in AUTH_VARIANTS:
                variant = {**combo, **auth}
                project = prepare(render(**variant), base / f"pristine-{combination_id(variant)}" / "svc")
                serious = medium_or_worse(run_doctor(DoctorOptions(path=project)).sorted_findings())
                clean &= not serious
                false_alarms += len(serious)
                print(f"pristine {combination_id(variant):40} medium+ findings: {len(serious)}")
                for finding in serious:
                    print(f"    {finding.severity} {finding.baseline} {finding.rule} {finding.location}")
        detected_all = all(expected == detected for _, expected, _, detected in rows)
        ours = sum(expected == detected for _, expected, _, detected in rows)
        # Precision of ours: a weakening's finding is right; a medium+ finding on a pristine project is wrong.
        print(
            f"\nour corpus: recall {ours}/{len(rows)} = {ours / len(rows):.1%}, precision {ours}/{ours + false_alarms}"
            f" = {ours / max(1, ours + false_alarms):.1%} ({false_alarms} medium+ findings on pristine projects)\n"
        )
        results = [audit_app(load_app(name), base / "realworld") for name in apps()]
        print(realworld_table(results))
        found = sum(len(r.found) for r in results)
        labelled = sum(len(r.app.problems) for r in results)
        right = sum(r.precision_counts[0] for r in results)
        spoken = sum(r.precision_counts[1] for r in results)
        realworld_ok = (
            found >= REALWORLD_RECALL * labelled
            and right >= REALWORLD_PRECISION * spoken
            and not any(r.crashed for r in results)
            and all(r.seconds < MAX_SECONDS for r in results)
        )
        total_found, total = ours + found, len(rows) + labelled
        total_right, total_spoken = ours + right, ours + false_alarms + spoken
        print(
            f"both corpora: recall {total_found}/{total} = {total_found / total:.1%},"
            f" precision {total_right}/{total_spoken} = {total_right / max(1, total_spoken):.1%}"
        )
        return 0 if detected_all and clean and realworld_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
