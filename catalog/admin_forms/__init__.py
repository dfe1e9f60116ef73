"""Forms and rule checks behind the admin site (PORTAL-ADM-2).

The admin saves nothing when a rule fails: every check here reports a form error (or, for list actions,
a message) before any row is written. Role changes go through catalog.roles, the one implementation
shared with sync and bulk assignment.

Value rules come from catalog.validation and set rules (DM-Q-3/4, DM-QG-4/5/6/7, DM-SCH-3, DM-PG-2, the
archive rules of DM-ARCH-1) from catalog.set_rules: sync's steps call the same functions and show the same
messages, which the forms turn into sentences.
"""

from catalog.admin_forms.content import (
    OptionRowsWidget,
    ProjectForm,
    ProjectGroupForm,
    QuestionForm,
    QuestionGroupForm,
    SchemaForm,
    VerificationFunctionSelect,
    VideoForm,
    function_signature,
    shown_path,
)
from catalog.admin_forms.memberships import (
    AssignmentForm,
    GroupQuestionFormSet,
    OrderedMembershipForm,
    ProjectGroupProjectFormSet,
    ProjectVideoFormSet,
    SchemaGroupFormSet,
)
from catalog.admin_forms.rules import (
    ArchivableForm,
    ArchiveRulesMixin,
    active_change_problems,
    after_active_change,
)
from catalog.admin_forms.users import (
    LabelPizzaPasswordChangeForm,
    LabelPizzaUserChangeForm,
    LabelPizzaUserCreationForm,
)

__all__ = [
    "ArchivableForm",
    "ArchiveRulesMixin",
    "AssignmentForm",
    "GroupQuestionFormSet",
    "LabelPizzaPasswordChangeForm",
    "LabelPizzaUserChangeForm",
    "LabelPizzaUserCreationForm",
    "OptionRowsWidget",
    "OrderedMembershipForm",
    "ProjectForm",
    "ProjectGroupForm",
    "ProjectGroupProjectFormSet",
    "ProjectVideoFormSet",
    "QuestionForm",
    "QuestionGroupForm",
    "SchemaForm",
    "SchemaGroupFormSet",
    "VerificationFunctionSelect",
    "VideoForm",
    "active_change_problems",
    "after_active_change",
    "function_signature",
    "shown_path",
]
