package io.tenure.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.access.Member;
import io.tenure.audit.Actor;
import io.tenure.error.ForbiddenException;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.org.OrgSettings;
import io.tenure.org.Organization;
import io.tenure.value.MemberStatus;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who a project manager reviews, and what their change may set. */
class ReviewerTest {
    private static final Instant NOW = Instant.parse("2027-01-01T01:00:00Z");
    private static final Actor ACTOR = Actor.user("sub", "lead@acme.example");

    @Test
    void aProjectManagerReviewsOtherMembersWhollyInsideTheirProjects() {
        Reviewer lead = Reviewer.of(ACTOR, org(true), member("mem_lead", OrgRole.MEMBER,
                Map.of("web", ProjectRole.MANAGER, "app", ProjectRole.MANAGER, "ads", ProjectRole.VIEWER)));

        assertThat(lead.reviews(access(OrgRole.MEMBER, Map.of("web", ProjectRole.ANALYST)), "mem_a")).isTrue();
        assertThat(lead.reviews(access(OrgRole.MEMBER, Map.of("web", ProjectRole.VIEWER, "app", ProjectRole.MANAGER)), "mem_b")).isTrue();
        assertThat(lead.reviews(access(OrgRole.MEMBER, Map.of("web", ProjectRole.VIEWER, "ads", ProjectRole.VIEWER)), "mem_c"))
                .as("ads is only viewed by the lead, not managed").isFalse();
        assertThat(lead.reviews(access(OrgRole.ADMIN, Map.of()), "mem_admin")).isFalse();
        assertThat(lead.reviews(access(OrgRole.MEMBER, Map.of("web", ProjectRole.MANAGER)), "mem_lead")).as("not themselves").isFalse();
    }

    @Test
    void anAdminReviewsEveryoneAndAMemberWithoutTheSettingOrAManagedProjectNobody() {
        Reviewer admin = Reviewer.of(ACTOR, org(false), member("mem_admin", OrgRole.ADMIN, Map.of()));
        assertThat(admin.reviews(access(OrgRole.ADMIN, Map.of()), "mem_admin")).isTrue();
        assertThat(admin.reviews(access(OrgRole.MEMBER, Map.of("x", ProjectRole.VIEWER)), "mem_x")).isTrue();

        assertThatThrownBy(() -> Reviewer.of(ACTOR, org(false), member("mem_lead", OrgRole.MEMBER, Map.of("web", ProjectRole.MANAGER))))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> Reviewer.of(ACTOR, org(true), member("mem_v", OrgRole.MEMBER, Map.of("web", ProjectRole.ANALYST))))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void aProjectManagersChangeSetsOnlyTheirProjectsAndTheEnd() {
        Reviewer lead = Reviewer.of(ACTOR, org(true), member("mem_lead", OrgRole.MEMBER, Map.of("web", ProjectRole.MANAGER)));
        lead.checkChange(json("{\"projects\":{\"web\":\"viewer\"},\"accessEndsAt\":\"2027-02-01T00:00:00Z\"}"));

        assertThatThrownBy(() -> lead.checkChange(json("{\"orgRole\":\"admin\",\"projects\":{\"app\":\"viewer\"}}")))
                .isInstanceOfSatisfying(ValidationFailedException.class, e -> assertThat(e.errors())
                        .extracting(err -> err.pointer()).containsExactlyInAnyOrder("/change/orgRole", "/change/projects/app"));
        Reviewer.admin(ACTOR, "mem_admin").checkChange(json("{\"orgRole\":\"admin\"}"));
    }

    @Test
    void aProjectManagerSeesTheAccessAfterOnlyInTheirProjectsAndOnlyTheirUndecided() {
        Reviewer lead = Reviewer.of(ACTOR, org(true), member("mem_lead", OrgRole.MEMBER, Map.of("web", ProjectRole.MANAGER)));
        ReviewItem changed = new ReviewItem("rev_1", "org_1", "mem_a", "a@x.example", access(OrgRole.MEMBER, Map.of("web", ProjectRole.VIEWER)),
                null, null, io.tenure.value.ReviewDecision.CHANGE, "Billing too", ACTOR, NOW,
                access(OrgRole.MEMBER, Map.of("web", ProjectRole.VIEWER, "billing", ProjectRole.ANALYST)));
        assertThat(lead.shown(changed).after().projects()).containsOnlyKeys("web");
        assertThat(Reviewer.admin(ACTOR, "mem_admin").shown(changed).after().projects()).containsOnlyKeys("web", "billing");

        ReviewCampaign closed = new ReviewCampaign("rev_1", "org_1", io.tenure.value.ReviewStatus.CLOSED, "2027-Q1", Actor.system("reminders"),
                NOW, NOW, 3, 0, NOW, List.of("mem_a", "mem_admin", "mem_lead"), null, null, 2);
        assertThat(lead.shown(closed, List.of(changed)).undecided()).containsExactly("mem_a");
    }

    private static Organization org(boolean managersReview) {
        OrgSettings settings = OrgSettings.defaults().with(json("{\"reviewsByProjectManagers\":" + managersReview + "}"), "/settings");
        return new Organization("org_1", "Acme", "acme", settings, NOW, NOW, 1);
    }

    private static Member member(String id, OrgRole role, Map<String, ProjectRole> projects) {
        return new Member(id, "org_1", id + "@acme.example", id + "@acme.example", role, projects, null, List.of(), null, null, null,
                NOW, NOW, MemberStatus.ACTIVE, NOW, NOW, 1);
    }

    private static ReviewItem.Access access(OrgRole role, Map<String, ProjectRole> projects) {
        return new ReviewItem.Access(role, projects, null);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
