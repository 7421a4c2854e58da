"""English: every word foracli's code adds to what the knowledge base says.

Keyed by id. Knowledge-base text stays in the knowledge base; this is the frame
around it (titles, labels, certainty words, the disclaimer, messages, hints).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Section titles, in the fixed order (core.model.SECTIONS), and the headings
    # that read differently for care without surgery.
    "section.what": "What it is",
    "section.who": "Who it may help",
    "section.alternatives": "Other choices, including not having surgery",
    "section.prepare": "How to get ready",
    "section.steps": "What happens during surgery",
    "section.benefits": "Possible benefits",
    "section.risks": "Possible risks",
    "section.recovery": "Recovery",
    "section.red-flags": "When to get help",
    "section.questions": "Questions to ask your surgeon",
    "section.key-points": "Key points",
    "section.non-surgical.steps": "What the treatment involves",
    "section.non-surgical.questions": "Questions to ask your doctor",
    # The rows of compare (core.model.ASPECTS).
    "aspect.incision": "Skin cut",
    "aspect.anaesthesia": "Anaesthesia",
    "aspect.operating-time": "Operating time",
    "aspect.blood-loss": "Blood loss",
    "aspect.hospital-stay": "Hospital stay",
    "aspect.return-to-activity": "Back to normal activity",
    "aspect.return-to-work": "Back to work",
    "aspect.pain-relief": "Relief of arm or leg pain",
    "aspect.complications": "Complications (any)",
    "aspect.main-risks": "Main risks",
    "aspect.reoperation": "Another operation later",
    "aspect.evidence": "Quality of the evidence",
    # Certainty (GRADE levels, in plain words).
    "certainty.high": "We are sure",
    "certainty.moderate": "We are fairly sure",
    "certainty.low": "We are not sure",
    "certainty.very-low": "We are very unsure",
    # Short certainty marks, after a point, and the same said once for a section.
    "certainty.mark.high": "sure",
    "certainty.mark.moderate": "fairly sure",
    "certainty.mark.low": "not sure",
    "certainty.mark.very-low": "very unsure",
    "certainty.section": "How sure we are of every point here: {level}.",
    "certainty.legend": (
        "In brackets after a point: how sure the studies let us be "
        "(sure, fairly sure, not sure, very unsure)."
    ),
    # Parts of the spine (core.model.Region).
    "region.cervical": "Neck",
    "region.lumbar": "Low back",
    "region.cervical.in": "the neck",
    "region.lumbar.in": "the low back",
    "region.cervical.only": "neck only",
    "region.lumbar.only": "low back only",
    "aspect.region": "{label} ({region})",
    # Head-to-head findings; {a} is the procedure the finding is about.
    "finding.lower": "Lower with {a}",
    "finding.higher": "Higher with {a}",
    "finding.no-difference": "No clear difference",
    "finding.mixed": "Mixed results",
    "finding.unclear": "Not clear",
    # Kinds of source.
    "study.meta-analysis": "meta-analysis",
    "study.systematic-review": "systematic review",
    "study.rct": "randomised trial",
    "study.cohort": "cohort study",
    "study.case-series": "case series",
    "study.registry": "registry or database study",
    "study.guideline": "guideline",
    "study.review": "narrative review",
    "study.biomechanical": "laboratory study",
    "study.expert-opinion": "expert opinion",
    "study.practice-page": "surgeon's practice page",
    "study.patient-information": "patient information",
    "study.website": "website",
    "study.textbook": "textbook",
    "evidence.level": "{kind}, evidence level {level}",
    "evidence.people": "{count} people",
    # Amounts.
    "amount.no-good-data": "no good data",
    "amount.range": "{low} to {high}",
    "amount.in-100": "about {span} in 100 people",
    "unit.days": "days",
    "unit.days.one": "day",
    "unit.weeks": "weeks",
    "unit.weeks.one": "week",
    "unit.minutes": "minutes",
    "unit.minutes.one": "minute",
    # The frame of every page.
    "disclaimer": (
        "This is general information, not medical advice. "
        "Talk to your own surgeon or doctor about your situation."
    ),
    # Worded from the pages' own red flags (sourced there): the neck's are not the low back's.
    "emergency": (
        "If you suddenly have new weakness or numbness in an arm or leg, trouble breathing "
        "after neck surgery, numbness around your bottom or genitals, or cannot control your "
        "bladder or bowels, get emergency help now."
    ),
    "emergency.cervical": (
        "If you suddenly have new weakness or numbness in an arm or leg, trouble breathing, "
        "a neck that swells fast, or cannot pass or hold urine, get emergency help now."
    ),
    "emergency.lumbar": (
        "If you suddenly have new weakness, numbness around your bottom or genitals, "
        "or cannot control your bladder or bowels, get emergency help now."
    ),
    "review": "Last reviewed: {reviewed}. Next review due: {due}.",
    "see-also": "See also: {items}.",
    "see-also.item": "{name} (foracli explain {id})",
    "heading.sources": "Sources",
    "heading.sources-for": "Sources: {name}",
    "heading.at-a-glance": "At a glance",
    "heading.studies-found": "What studies comparing them found",
    "heading.evidence": "Evidence behind each row",
    "heading.procedures": "Procedures",
    "heading.glossary": "Glossary",
    "heading.search": "Search: {query}",
    "heading.words-used": "Words used on this page",
    "heading.comparison": "How it compares",
    "label.head-to-head": "Head-to-head",
    "label.also-called": "Also called",
    "label.used-in": "Used in",
    "label.also": "also",
    "label.summary": "Summary",
    "column.row": "Row",
    "column.study": "Study",
    "column.source": "Source",
    "column.evidence": "Evidence",
    "column.name": "Name",
    "column.id": "Id",
    "column.what-it-is": "What it is",
    "column.where": "Where",
    "column.sentence": "Sentence",
    "column.term": "Term",
    "column.meaning": "Meaning",
    "column.aspect": "Aspect",
    "versus": " vs ",
    "compared-with": " compared with ",
    "handout.kicker": "Patient information",
    "handout.title": "{title}: patient handout",
    "handout.get-help": "Get help now",
    "scale": "{label} ({unit}), 0 to {top}",
    # ask's answer cards.
    "heading.answer": "{question}",
    "answer.title": "{name}: {place}",
    "answer.title-region": "{name}: {place} ({region})",
    "answer.no-evidence-title": "No good evidence",
    "answer.no-evidence": "We found no good evidence on {about}; ask your surgeon: {ask}",
    "answer.more": "More: {command}",
    "answer.nothing": "foracli has nothing on this.",
    "answer.offers": "It can answer questions about: {items}.",
    "answer.offers-sections": "Or ask about any part of a page: {items}.",
    "scale.basis": "{label} ({unit}, {basis}), 0 to {top}",
    "bar.basis": "not comparable, as these figures measured different things ({bases}).",
    "bar.region": "not comparable, as these figures come from different parts of the spine.",
    "bar.timeframe": "not comparable, as these figures were counted over different times.",
    "bar.evidence": (
        "not comparable, as some figures come from studies of patients and some from "
        "surgeons', hospitals' or experts' own accounts."
    ),
    "bar.not-said": "not stated",
    "label.head-to-head-pair": "Head-to-head, {a} vs {b}",
    "amount.elsewhere": "no figure here, only for {region}",
    "heading.figures": "Figures for this operation",
    "heading.get-help-now": "Get emergency help now",
    "brief.more": "More: foracli explain {id} (the whole page, with sources).",
    # decide: the option grid's rows, as the questions patients ask (core.decide).
    "decide.q.pain-relief": "Will it help my arm or leg pain?",
    "decide.q.pain-relief.cervical": "Will it help my arm pain?",
    "decide.q.pain-relief.lumbar": "Will it help my leg pain?",
    "decide.q.region": "{question} ({region})",
    "decide.q.complications": "What is the chance of a problem?",
    "decide.q.reoperation": "What is the chance I need another operation?",
    "decide.q.anaesthesia": "Will I be awake?",
    "decide.q.incision": "How big is the scar?",
    "decide.q.hospital-stay": "How long will I stay in hospital?",
    "decide.q.return-to-work": "How long will I be off work?",
    "decide.q.return-to-activity": "When can I get back to normal activity?",
    "decide.title": "Your choices: {options}",
    "decide.intro": (
        "The options side by side, to help you talk with your surgeon. "
        "It gives no score and makes no choice for you."
    ),
    "decide.no-operation": "No operation.",
    "decide.no-evidence": "We found no good evidence.",
    "decide.time": "{timeframe}",
    "point.time": "Time: {timeframe}.",
    "decide.why": "{question} {reason}",
    "decide.heading.grid": "Option grid",
    "decide.heading.icons": "Out of 100 people",
    "decide.icons.legend": (
        "Each grid shows 100 people. Filled: the lower figure. Half-filled: up to the "
        "higher figure. Empty: people it did not happen to."
    ),
    "decide.icons.figure": "{name}: {amount}, {question_short} ({time})",
    "decide.icons.short.complications": "had a problem",
    "decide.icons.short.reoperation": "had another operation",
    "decide.heading.matters": "What matters to you",
    "decide.matters.none": (
        "You have not said what matters to you. Run 'foracli decide' on a terminal "
        "for a short walk, or give --matters or --answers."
    ),
    "decide.matters.line": "{factor} matters {importance} to you.",
    "decide.factor.time-off-work": "Time off work",
    "decide.factor.another-operation": "The chance of another operation",
    "decide.factor.scar": "The size of the scar",
    "decide.factor.awake": "Being awake or asleep",
    "decide.factor.avoid-surgery": "Avoiding surgery",
    "decide.factor.recovery-time": "How long recovery takes",
    "decide.importance.a-lot": "a lot",
    "decide.importance.a-little": "a little",
    "decide.importance.not-much": "not much",
    "decide.surgery.yes": "An operation.",
    "decide.surgery.no": "No operation.",
    "decide.heading.ready": "Ready to decide? (the SURE test)",
    "decide.sure.sure": "Do you feel sure about the best choice for you?",
    "decide.sure.understand": "Do you know the benefits and risks of each option?",
    "decide.sure.risk-benefit": "Are you clear about which benefits and risks matter most to you?",
    "decide.sure.encouragement": "Do you have enough support and advice to make a choice?",
    "decide.sure.score": "You answered yes to {score} of 4.",
    "decide.sure.conflict": (
        "A 'no' to any question means you may not be ready yet. "
        "Talk it through with your surgeon, and with people you trust."
    ),
    "decide.sure.ready": "You may be ready. Check your choice with your surgeon.",
    "decide.sure.unanswered": "Not answered yet.",
    "decide.sure.source": "SURE test: Légaré F and others, Can Fam Physician 2010 (PMID 20705870).",
    "decide.yes": "yes",
    "decide.no": "no",
    "decide.heading.ask": "Three questions to ask your surgeon",
    "decide.ask.options": "What are my options?",
    "decide.ask.benefits-risks": "What are the benefits and risks of each?",
    "decide.ask.likely": "How likely are they for me?",
    "decide.heading.own": "My own questions",
    "decide.heading.summary": "To take to your surgeon",
    "decide.private": (
        "Private: foracli keeps nothing you enter and sends nothing anywhere. "
        "Only a file you choose to save holds your answers."
    ),
    "decide.legend": (
        "In brackets: how sure the studies let us be. Numbers in square brackets: sources."
    ),
    "decide.too-few": "decide needs at least two different options",
    "decide.walk.intro": (
        "A few questions about what matters to you. Type the number of your answer, "
        "b to go back, or press Ctrl-C to stop (nothing is saved)."
    ),
    "decide.walk.matters": "How much does this matter to you? {factor}",
    "decide.walk.choices": "1 a lot, 2 a little, 3 not much",
    "decide.walk.yes-no": "y yes, n no",
    "decide.walk.step": "Question {n} of {total}",
    "decide.walk.save": "Save your answers to a file? Type a file name, or press Enter to skip",
    "decide.walk.saved": "saved your answers to {path}",
    "decide.walk.stopped": "stopped; nothing was saved",
    "decide.walk.back-first": "This is the first question.",
    "decide.walk.invalid": "Please type one of: {choices}.",
    "answers.error": "{message}",
    # about: who made this and how (IPDAS certification; JAMA benchmark).
    "about.title": "About foracli's information",
    "about.who.heading": "Who wrote it",
    "about.who": (
        "The foracli project's contributors wrote it from published studies. "
        "This version names no clinical reviewer."
    ),
    "about.evidence.heading": "How the evidence was chosen and graded",
    "about.evidence": (
        "We looked for trials and pooled studies first, then smaller studies. Where "
        "nothing better exists, we used surgeons' or hospitals' pages, and say so. Each "
        "source shows its kind of study and its Oxford CEBM 2011 evidence level. Each "
        "claim says how sure the studies let us be, in the four GRADE levels, in plain words."
    ),
    "about.money.heading": "Funding and conflicts of interest",
    "about.money": (
        "The project declares no funding and no conflicts of interest. It takes no "
        "advertising and names no surgeon, hospital or device."
    ),
    "about.dates.heading": "Review dates and updates",
    "about.dates": (
        "Pages last reviewed from {reviewed}. Next review due by {due}. Each page is "
        "checked again against the evidence at least every 3 years; foracli validate "
        "warns once a date has passed."
    ),
    "about.counts": "{procedures} pages, {sources} sources.",
    "about.footer": (
        "Written by the foracli project from published studies; no funding or conflicts "
        "declared. See 'foracli about'."
    ),
    # Messages (each printed after "foracli: " on one line).
    "error.unknown": "unknown {kind} '{name}'",
    "error.did-you-mean": "{message}; did you mean {choices}?",
    "error.or": " or ",
    "error.no-match": (
        "nothing matches '{query}'; try fewer or plainer words, "
        "or 'foracli glossary' for the terms used"
    ),
    "error.no-path": "no such knowledge-base file or folder: {path}",
    "error.cannot-read-path": "cannot read knowledge-base path {path}: {reason}",
    "error.no-section": "procedure '{procedure}' has no section '{name}'",
    "error.region": "{procedure} is not done in {region}; it is for {regions}",
    "error.more-problems": "{first} (and {count} more problem{plural})",
    "error.empty-kb": ("--kb needs a path; an empty value would read the whole current folder"),
    "cache.refused": "not using the cache folder {path}: {reason}; running without a cache",
    "cache.refused.owner": "another user owns it",
    "cache.refused.mode": "others can write to it",
    "cache.refused.link": "it is a symbolic link or not a folder",
    "kind.procedure": "procedure",
    "kind.section": "section",
    "kind.term": "term",
    "kind.aspect": "aspect",
    "kind.region": "region",
    "completion.see": "see {term}",
    "pager.failed": "cannot start the pager '{pager}'; printing directly",
    "write.stdout": "cannot write to standard output: {reason}",
    "write.no-stdout": "standard output is closed; give foracli somewhere to write",
    # Usage errors (app.usage): each is followed by usage.try on the same line.
    "usage.try": "Try '{command} --help'.",
    "usage.no-such-option": "unknown option '{option}'",
    "usage.no-such-command": "unknown command '{command}'",
    "usage.needs-value": "option '{option}' needs a value: {metavar}",
    "usage.missing-argument": "missing {metavar}",
    "usage.missing-option": "missing option {option} {metavar}",
    "usage.bad-choice": "'{value}' is not a choice for {option} (choose {choices})",
    "usage.whole-number": "{option} takes a whole number of at least {minimum}, not '{value}'",
    "usage.bad-value": "bad value for {option}",
    "usage.extra": "unexpected extra words: {words}",
    "usage.missing-command": "missing COMMAND",
    "usage.two-procedures": "compare needs at least two procedures",
    "usage.same-procedure": (
        "'{first}' and '{second}' are both {name}; compare two different procedures."
    ),
    "usage.several-procedures": (
        "explain shows one procedure; to set these side by side, run 'foracli compare {words}'."
    ),
    "usage.twice": "'{first}' is given twice; compare two different procedures.",
    "usage.validate-format": "validate writes text or json",
    "usage.aborted": "aborted",
    # Help screens and the man page (app.helptext, app.manpage).
    "help.usage": "Usage:",
    "help.arguments": "Arguments",
    "help.options": "Options",
    "help.commands": "Commands",
    "help.example": "Example",
    "help.examples": "Examples",
    "help.one-of": "one of: {choices}",
    "help.default": "default: {value}",
    "help.at-least": "at least {value}",
    "help.required": "required",
    "man.manual": "User Commands",
    "man.commands": "COMMANDS",
    "man.exit-status": "EXIT STATUS",
    "man.environment": "ENVIRONMENT",
    "man.see-also": "SEE ALSO",
    "man.exit.ok": (
        "Success. Also when the reader of a pipe stops early (foracli explain | head -1): "
        "foracli ends quietly, whatever the size of its output."
    ),
    "man.exit.not-found": (
        "Not found: an unknown procedure, section, term or aspect (close matches on "
        "stderr), a search with no match, a --kb, FORACLI_KB or validate path that does "
        "not exist; or output that cannot be written (a full disk, a handout file that "
        "cannot be made)."
    ),
    "man.exit.usage": (
        "Usage error: an unknown command or option, a bad value, too few procedures, "
        "the same procedure twice in compare, two procedures given to explain."
    ),
    "man.exit.invalid-kb": (
        "The knowledge base is invalid: path:line:col: message on stderr "
        "(foracli validate lists every problem)."
    ),
    "man.exit.interrupted": "Interrupted with Ctrl-C.",
    "man.env.kb": (
        "Your own knowledge-base files or folders, separated by the OS path separator "
        "(--kb replaces it)."
    ),
    "man.env.cache-dir": (
        "Where the caches live (default $XDG_CACHE_HOME/foracli, else ~/.cache/foracli)."
    ),
    "man.env.no-cache": "Set (not empty) to read the YAML and render afresh every run.",
    "man.env.watch": "0 never starts a knowledge-base watcher.",
    "man.env.watch-min": (
        "How many knowledge-base files and folders it takes to start a watcher (default 500)."
    ),
    "man.env.colour": (
        "NO_COLOR (not empty) removes colour, FORCE_COLOR (not empty) forces it, TERM=dumb "
        "gets plain text; --color beats all three."
    ),
    "man.env.hyperlink": (
        "1 makes source links clickable (OSC 8) on a terminal foracli does not recognise, "
        "0 never; links are never written into a pipe or with --color never."
    ),
    "man.env.pager": (
        "The pager for long terminal output: MANPAGER, else PAGER, else less. foracli "
        "runs it with LESS=-FRX when LESS is unset, and adds -R to a LESS without it; "
        "a pager that cannot start is skipped with one warning line."
    ),
    "man.env.columns": "The width for --format rich when stdout is not a terminal.",
    # validate's content rules (each after "path:line:col: warning: ").
    "check.uncited": "source '{id}' is not cited anywhere",
    "check.paper-no-year": "paper '{id}' has no year",
    "check.paper-no-link": "paper '{id}' has no DOI, PMID or publisher link",
    "check.mirror-link": (
        "source '{id}' links to a copy at {host}; link the original (DOI, PubMed or the publisher)"
    ),
    "check.gap-filled": (
        "source '{id}' says its {gap} was not found, but it is there; drop it from not_found"
    ),
    "check.review-due": "next_review {date} has passed; re-check the page against the evidence",
    "check.grade": "section '{section}' reads at grade {grade}, above {limit}",
    "check.long-sentence": "a sentence in '{section}' has {count} words (over {limit}): {start}...",
    "check.not-per-100": "'{figure}' in '{place}' is not per 100; give it as 'N in 100'",
    "check.no-timeframe": "a figure in '{place}' says 'in 100' but gives no timeframe",
    "check.placeholder-timeframe": (
        "a figure in '{place}' says 'in 100' but its timeframe is the placeholder "
        "'no time frame recorded': say over what time it was counted, or that the "
        "source does not say"
    ),
    "check.undefined-term": "'{word}' (in '{section}') is a medical word with no glossary entry",
    "summary.none": "no problems found",
    "summary.counts": "{errors} error{es}, {warnings} warning{ws} in {files} file{fs}",
    "handout.unknown-format": "cannot tell the format of '{output}': name it with {known}",
    "handout.same-procedure": "cannot compare '{name}' with itself",
    "handout.is-folder": "'{output}' is a folder; give a file name such as handout.html",
    "handout.exists": "'{output}' already exists; use --force to replace it",
    "handout.no-folder": "cannot write '{output}': folder '{folder}' does not exist",
    "handout.cannot-write": "cannot write '{output}': {reason}",
    "handout.not-a-file": (
        "'{output}' is not a regular file; name a file, or use -o - for standard output"
    ),
    "handout.format-mismatch": (
        "the suffix of '{output}' names another format than {fmt}; rename it or drop --format"
    ),
}

# Words that carry no meaning for matching ("how long off work" -> "long", "work").
_STOPWORD_TEXT = (
    "a an and are as at be been being by can could do does did for from had has have "
    "how i if in into is it its me my no not of off on or our so than that the their "
    "them then there these they this to too was we were what when where which who why "
    "will with would you your about after before long much many soon get back"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Fewer for telling what a question asks about: "how long", "when", "after" say a lot there.
_ASKING_STOPWORD_TEXT = (
    "a an and am are as at be been by for from i if in is it its me my mine of on or our "
    "so that the their them there these they this those to us we you your"
)
ASKING_STOPWORDS = frozenset(_ASKING_STOPWORD_TEXT.split())
# Everyday words people type for what the text calls something else.
SYNONYMS = {
    "job": "work",
    "duty": "work",
    "office": "work",
    "anesthetic": "anesthesia",
    "cut": "incision",
    "scar": "scar",
    "op": "operation",
    "surgery": "operation",
    "sciatic": "sciatica",
    "numb": "numbness",
}
