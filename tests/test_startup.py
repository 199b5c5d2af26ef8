"""A worker's start-up loads what its documents need, once: `import extract` leaves the
corpus-level part (pandas, the writers) for when it is used, and the worker's warm-up
builds the very pipeline the mentions stage then uses."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def python(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_import_extract_leaves_the_corpus_part_for_later():
    out = python(
        "import sys, extract\n"
        "print('pandas' in sys.modules, 'extract.run.pipeline' in sys.modules)\n"
        "import extract.run.workers, extract.run.cache\n"  # what a worker and the CLI import
        "print(callable(extract.run), extract.run.__module__)\n"
        "print(extract.Corpus.__name__, extract.load.__module__, 'Corpus' in dir(extract))\n")
    assert out.splitlines() == ["False False", "True extract", "Corpus extract.run.pipeline True"]


def test_extract_run_is_the_run(tmp_path):
    text = ("Case report. A 60-year-old man with gout was given colchicine. "
            "His joint pain resolved within a week.\n")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text(text, encoding="utf-8")
    out = python(
        "import extract\n"
        f"c = extract.run({str(tmp_path / 'in')!r}, None, cfg=extract.RunConfig(stages=('structure',)))\n"
        "print(type(c).__name__, len(c.documents))\n")
    assert out == "Corpus 1"


def test_warm_up_builds_the_pipeline_the_stage_uses():
    out = python(
        "import gc\n"
        "from extract.run.workers import init_worker\n"
        "from extract.stages import RunConfig\n"
        "from extract.nlp import pipeline\n"
        "from extract.markup.text import read_text\n"
        "init_worker(RunConfig())\n"
        "built = pipeline._build.cache_info()\n"
        "doc = read_text('Case presentation\\n\\nA 45-year-old woman with systemic lupus erythematosus was given '\n"
        "                'hydroxychloroquine and prednisone. Her rash improved.\\n', 'd1')\n"
        "rows = pipeline.document_mentions(doc)\n"
        "after = pipeline._build.cache_info()\n"
        "print(built.currsize, after.currsize, after.misses - built.misses, 'hydroxychloroquine' in [r['text'] for r in rows], gc.get_freeze_count() > 10000)\n")
    assert out == "1 1 0 True True"
