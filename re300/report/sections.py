"""Parts shared by the single-year and the pathway memo: a headline value as printed, and the closing sections
(assumptions with their sources, limitations, provenance)."""
from __future__ import annotations

from .assumptions import assumption_rows
from .document import Bullets, Document, Heading, Paragraph, Table
from .headline import HeadlineValue
from .horizon import Horizon, horizon
from .numbers import shown
from .runcsv import RunResults
from .text import tr


def fmt(hl: dict[str, HeadlineValue], key: str, lang: str) -> str:
    """A headline value as the memo prints it (digits and unit)."""
    v = hl[key]
    return shown(v.value, v.kind, lang)


def limitations(run: RunResults, lang: str, hz: Horizon | None = None) -> list[str]:
    hz = hz or horizon(run)
    pathway = run.is_pathway or run.period is not None
    if pathway:
        word = tr(f"foresight_{run.resolved.get('pathway', {}).get('foresight', 'perfect')}", lang)
        foresight = tr("limits_pathway", lang, foresight_word=word)
    else:
        foresight = tr("limits_single_year", lang)
    return [tr("limits_horizon", lang, horizon=hz.text(lang))] + tr("limits", lang, foresight=foresight).split("\n")


def run_dir_text(run: RunResults) -> str:
    """The results folder as the memo names it: its own name (the memo lies in its memo/ subfolder), never a path of
    the machine that wrote it."""
    return run.run_dir.resolve().name + "/"


def inputs_dir_text(run: RunResults) -> str:
    """The run's input folder relative to the project root (its parent, re300.paths.project_root)."""
    return run.inputs_dir.resolve().name + "/"


def provenance(run: RunResults, lang: str) -> str:
    git = run.manifest.get("git", {})
    return tr("prov_run", lang, run_dir=run_dir_text(run), status=run.manifest.get("solver", {}).get("status", "?"),
              rev=str(git.get("revision", "?"))[:12], dirty=tr("prov_dirty", lang) if git.get("dirty") else "",
              hash=str(run.manifest.get("input_hash", "?"))[:16])


def add_closing_sections(doc: Document, run: RunResults, lang: str, hz: Horizon, extra_files: str = "") -> None:
    """Assumptions with their sources, limitations and provenance (single-year and pathway memos alike)."""
    doc.add(Heading(tr("h_assumptions", lang)))
    doc.add(Paragraph(tr("assumptions_intro", lang, inputs_dir=inputs_dir_text(run))))
    if run.input_changes:
        doc.add(Paragraph("▲ " + tr("inputs_changed", lang, files=", ".join(run.input_changes)), css="warning"))
    headers = [tr(k, lang) for k in ("col_quantity", "col_value", "col_unit", "col_status", "col_source")]
    doc.add(Table(headers, assumption_rows(run, lang), numeric=[False, True, False, False, False]))

    doc.add(Heading(tr("h_limits", lang)))
    doc.add(Bullets(limitations(run, lang, hz)))
    doc.add(Heading(tr("h_provenance", lang)))
    doc.add(Paragraph(tr("generated_from", lang, run_dir=run_dir_text(run), inputs_dir=inputs_dir_text(run),
                         extra=extra_files), css="small"))
    doc.add(Paragraph(provenance(run, lang), css="small"))
