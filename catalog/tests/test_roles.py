"""The one implementation of role changes (DM-ROLE-1..7)."""

import pytest

from catalog import roles
from catalog.models import Assignment, User
from catalog.tests.factories import AdminFactory, ModelUserFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = Assignment.Role


def active_roles(user, project):
    return set(Assignment.objects.filter(user=user, project=project, is_active=True).values_list("role", flat=True))


def test_dm_role_1_expand():
    assert roles.expand(Role.REVIEWER) == {Role.ANNOTATOR, Role.REVIEWER}
    assert roles.expand(Role.ADMIN) == {Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN}
    assert roles.expand(Role.MODEL) == {Role.MODEL}
    assert roles.level([Role.ANNOTATOR, Role.REVIEWER]) == Role.REVIEWER
    assert roles.level([]) is None


def test_dm_role_4_assign_reviewer_implies_annotator_and_sets_weight_on_every_row():
    user, project = UserFactory(), ProjectFactory()
    roles.assign_role(user=user, project=project, role=Role.REVIEWER, weight=2.0)
    assert active_roles(user, project) == {Role.ANNOTATOR, Role.REVIEWER}
    assert set(Assignment.objects.filter(user=user, project=project).values_list("user_weight", flat=True)) == {2.0}


def test_dm_role_4_assign_lower_level_demotes():
    user, project = UserFactory(), ProjectFactory()
    roles.assign_role(user=user, project=project, role=Role.REVIEWER)
    roles.assign_role(user=user, project=project, role=Role.ANNOTATOR, weight=0.5)
    assert active_roles(user, project) == {Role.ANNOTATOR}
    assert Assignment.objects.get(user=user, project=project, role=Role.REVIEWER).is_active is False


def test_dm_role_4_remove_reviewer_keeps_annotator_and_remove_annotator_removes_all():
    user, project = UserFactory(), ProjectFactory()
    roles.assign_role(user=user, project=project, role=Role.REVIEWER)
    roles.remove_role(user=user, project=project, role=Role.REVIEWER)
    assert active_roles(user, project) == {Role.ANNOTATOR}
    roles.assign_role(user=user, project=project, role=Role.REVIEWER)
    roles.remove_role(user=user, project=project, role=Role.ANNOTATOR)
    assert active_roles(user, project) == set()
    assert Assignment.objects.filter(user=user, project=project).count() == 2  # kept as history (DM-ASG-3)


def test_dm_role_3_user_types_hold_only_their_roles():
    project = ProjectFactory()
    with pytest.raises(roles.RoleError, match="model user and cannot be annotator"):
        roles.assign_role(user=ModelUserFactory(), project=project, role=Role.ANNOTATOR)
    with pytest.raises(roles.RoleError, match="human user and cannot be model"):
        roles.assign_role(user=UserFactory(), project=project, role=Role.MODEL)


def test_dm_arch_3_no_assignment_for_archived_user_or_project():
    with pytest.raises(roles.RoleError, match="archived"):
        roles.assign_role(user=UserFactory(is_active=False), project=ProjectFactory(), role=Role.ANNOTATOR)
    with pytest.raises(roles.RoleError, match="archived"):
        roles.assign_role(user=UserFactory(), project=ProjectFactory(is_active=False), role=Role.ANNOTATOR)


def test_dm_role_5_global_admin_holds_every_project_and_cannot_be_removed():
    admin = AdminFactory()
    p1, p2 = ProjectFactory(), ProjectFactory()
    created = roles.ensure_global_admin_rows()
    assert created == 6
    assert active_roles(admin, p1) == active_roles(admin, p2) == {Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN}
    assert roles.ensure_global_admin_rows() == 0  # idempotent
    with pytest.raises(roles.RoleError, match="global admin"):
        roles.remove_role(user=admin, project=p1, role=Role.ANNOTATOR)


def test_dm_role_6_7_promotion_and_demotion():
    user, project = UserFactory(), ProjectFactory()
    roles.assign_role(user=user, project=project, role=Role.ANNOTATOR, weight=3.0)
    user.user_type = User.UserType.ADMIN
    user.save()
    roles.apply_user_type_change(user, old_type=User.UserType.HUMAN, old_active=True)
    assert active_roles(user, project) == {Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN}
    assert Assignment.objects.get(user=user, project=project, role=Role.ADMIN).user_weight == 3.0  # weight kept
    user.user_type = User.UserType.HUMAN
    user.save()
    roles.apply_user_type_change(user, old_type=User.UserType.ADMIN, old_active=True)
    assert active_roles(user, project) == set()


def test_dm_usr_3_model_type_never_changes():
    user = ModelUserFactory()
    with pytest.raises(roles.RoleError, match="cannot change"):
        roles.check_user_type_change(user, User.UserType.MODEL, User.UserType.HUMAN)
    roles.check_user_type_change(user, User.UserType.HUMAN, User.UserType.ADMIN)
