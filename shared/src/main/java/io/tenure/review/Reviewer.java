package io.tenure.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.access.Member;
import io.tenure.audit.Actor;
import io.tenure.error.FieldError;
import io.tenure.error.ForbiddenException;
import io.tenure.error.ValidationFailedException;
import io.tenure.org.Organization;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who decides which items of a review: an admin every item; a project manager, when the org lets
 * project managers review, the items of other members who are not admins and whose every project
 * is one they manage, so any decision of theirs stays inside their own projects.
 *
 * @param managed the projects a project manager manages (empty for an admin, who needs none)
 */
record Reviewer(Actor actor, String memberId, boolean admin, Set<String> managed) {
    private static final Set<String> MANAGER_CHANGES = Set.of("projects", "accessEndsAt");

    static Reviewer admin(Actor actor, String memberId) {
        return new Reviewer(actor, memberId, true, Set.of());
    }

    /** The reviewer {@code member} is in {@code org}; 403 when they review nobody. */
    static Reviewer of(Actor actor, Organization org, Member member) {
        if (member.isAdmin()) {
            return admin(actor, member.id());
        }
        return managerIn(org, member).map(m -> new Reviewer(actor, m.memberId(), false, m.managed())).orElseThrow(ForbiddenException::new);
    }

    /** {@code member} as a project manager who reviews in {@code org}, or empty (an admin, or no one a manager reviews there). */
    static java.util.Optional<Reviewer> managerIn(Organization org, Member member) {
        Set<String> managed = member.projects().entrySet().stream().filter(e -> e.getValue() == ProjectRole.MANAGER)
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
        if (member.isAdmin() || !org.settings().reviewsByProjectManagers() || managed.isEmpty() || !member.isActive()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Reviewer(Actor.user(null, member.email()), member.id(), false, managed));
    }

    boolean reviews(ReviewItem item) {
        return reviews(item.before(), item.memberId());
    }

    /** Whether this reviewer decides for a member with {@code access}. */
    boolean reviews(ReviewItem.Access access, String member) {
        if (admin) {
            return true;
        }
        return !member.equals(memberId) && access.orgRole() == OrgRole.MEMBER && access.projects() != null
                && !access.projects().isEmpty() && managed.containsAll(access.projects().keySet());
    }

    /**
     * An item as this reviewer may see it: a project manager sees the access after a decision only
     * in the projects they manage (an admin may have granted others).
     */
    ReviewItem shown(ReviewItem item) {
        if (admin || item.after() == null || item.after().projects() == null) {
            return item;
        }
        Map<String, ProjectRole> theirs = item.after().projects().entrySet().stream().filter(e -> managed.contains(e.getKey()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        return item.showingAfter(new ReviewItem.Access(item.after().orgRole(), theirs, item.after().accessEndsAt()));
    }

    /** A campaign as this reviewer may see it: a project manager sees only the undecided members they review. */
    ReviewCampaign shown(ReviewCampaign campaign, List<ReviewItem> reviewed) {
        if (admin) {
            return campaign;
        }
        Set<String> ids = reviewed.stream().map(ReviewItem::memberId).collect(Collectors.toSet());
        return campaign.showingUndecided(campaign.undecided() == null ? List.of()
                : campaign.undecided().stream().filter(ids::contains).toList());
    }

    /** A project manager's change sets only projects they manage and the access end (422 naming the field otherwise). */
    void checkChange(JsonNode change) {
        if (admin || change == null || !change.isObject()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        change.fieldNames().forEachRemaining(name -> {
            if (!MANAGER_CHANGES.contains(name)) {
                errors.add(new FieldError("/change/" + name, "is for an admin to change; a project manager changes projects and accessEndsAt"));
            }
        });
        JsonNode projects = change.get("projects");
        if (projects != null && projects.isObject()) {
            projects.fieldNames().forEachRemaining(id -> {
                if (!managed.contains(id)) {
                    errors.add(new FieldError("/change/projects/" + id, "is not a project you manage"));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
    }
}
