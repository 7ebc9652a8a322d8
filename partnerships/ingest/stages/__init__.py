"""The stages an article goes through, in order; each reads the Analysis and adds to it.

mentions (regions, institution names) → resolution (学院 / 我校 / 公司 to the body meant)
→ posts (people, their titles and institutions) → projects (what cooperation creates; an
institution that is a project is no party) → events (the ceremony) → agreements (who signed
what, when). A new stage is a module with run(analysis) added here; proposals.py words the result.
"""

from . import agreements, events, mentions, model, posts, projects, resolution

STAGES = (
    mentions.run,
    model.organisations,  # the statistical model's names, confirmed by the rules (stages/model.py)
    resolution.run,
    posts.run,
    model.people,
    projects.run,
    events.run,
    agreements.run,
    model.proposals,
)
