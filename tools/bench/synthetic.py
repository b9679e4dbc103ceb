"""Synthetic corpora for the benchmark and the load tool: N copies of
corpus/'s reports with distinct report ids and years, labelled synthetic in
the manifest, the titles and the file names. Standard library only (the load
tool runs it with the system python3)."""
import json
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def synthesize(copies, directory):
    """Writes `copies` copies of corpus/'s reports with distinct ids and
    years, labelled synthetic in the manifest and the file names."""
    source = os.path.join(ROOT, "corpus")
    manifest = json.load(open(os.path.join(source, "reports.json"), encoding="utf-8"))
    os.makedirs(directory, exist_ok=True)
    for name in ("schools.json", "synonyms.json"):
        shutil.copy(os.path.join(source, name), directory)
    reports = []
    for copy in range(copies):
        for report in manifest["reports"]:
            name = f"synthetic-{copy:04d}-{report['file']}"
            shutil.copy(os.path.join(source, report["file"]), os.path.join(directory, name))
            entry = dict(report)
            entry.update(id=f"synthetic-{copy:04d}-{report['id']}", year=report["year"] - copy, file=name,
                         title=f"[synthetic copy {copy}] {report['title']}", synthetic=True)
            reports.append(entry)
    json.dump({"reports": reports}, open(os.path.join(directory, "reports.json"), "w", encoding="utf-8"), ensure_ascii=False)
