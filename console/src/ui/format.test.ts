import { describe, expect, it } from "vitest";
import { daysFrom, deliveryLabel, describeChanges, describeCheckin, describeDelivery, describeRoles, formatTime } from "./format.js";

describe("format", () => {
  it("says a member's check-in as its inviter answered it, or that it waits", () => {
    const sent = { sentAt: "2026-12-01T09:00:00Z", expiresAt: "2026-12-31T09:00:00Z" };
    expect(describeCheckin(sent)).toBe("Not answered yet (sent 2026-12-01 09:00 UTC; its links work until 2026-12-31 09:00 UTC)");
    expect(describeCheckin({ ...sent, answer: "keep", answeredAt: "2026-12-02T10:30:00Z" }))
      .toBe("Still needed: the inviter answered 2026-12-02 10:30 UTC (sent 2026-12-01 09:00 UTC)");
    expect(describeCheckin({ ...sent, answer: "remove", answeredAt: "2026-12-03T11:00:00Z" }))
      .toBe("Remove access: the inviter answered 2026-12-03 11:00 UTC (sent 2026-12-01 09:00 UTC)");
  });

  it("writes times in UTC and saying so", () => {
    expect(formatTime("2026-12-02T08:51:42Z")).toBe("2026-12-02 08:51 UTC");
    expect(formatTime(undefined)).toBe("");
  });

  it("gives a whole-second instant some days on", () => {
    expect(daysFrom(new Date("2026-12-06T09:00:00.250Z"), 14)).toBe("2026-12-20T09:00:00Z");
  });

  it("names projects in roles, and shows the id of one it cannot name", () => {
    const names = new Map([["prj_1", "Web"]]);
    expect(describeRoles({ orgRole: "member", projects: [{ projectId: "prj_1", role: "analyst" }, { projectId: "prj_2", role: "viewer" }] }, names)).toBe(
      "member · Web: analyst, prj_2: viewer",
    );
    expect(describeRoles({ orgRole: "admin", projects: [] }, names)).toBe("admin");
  });

  it("labels each delivery state in words, with its time or its reason", () => {
    const since = "2026-11-25T08:51:42Z";
    expect(deliveryLabel({ status: "sending", since })).toBe("Sending 2026-11-25 08:51 UTC");
    expect(deliveryLabel({ status: "sent", messageId: "m1", since })).toBe("Sent 2026-11-25 08:51 UTC");
    expect(deliveryLabel({ status: "delivered", messageId: "m1", since })).toBe("Delivered 2026-11-25 08:51 UTC");
    expect(deliveryLabel({ status: "delayed", since, error: "The receiving server is busy (421)." })).toBe("Delayed: The receiving server is busy (421).");
    expect(deliveryLabel({ status: "delayed", since })).toBe("Delayed: the receiving mail server has not accepted it yet; the email service keeps trying");
    expect(deliveryLabel({ status: "failed", error: "The email service refused the message." })).toBe("Failed: The email service refused the message.");
    expect(deliveryLabel({ status: "bounced", error: "SES bounce: Permanent/General" })).toBe("Bounced: SES bounce: Permanent/General");
    expect(deliveryLabel({ status: "bounced" })).toBe("Bounced");
    expect(deliveryLabel({ status: "complained", since })).toBe("Marked as spam by the recipient 2026-11-25 08:51 UTC");
    expect(deliveryLabel({ status: "unconfirmed", since })).toBe("Unconfirmed: the send was cut short; resend it");
    expect(deliveryLabel({ status: "sent" })).toBe("Sent");
    expect(deliveryLabel(undefined)).toBe("Not sent yet");
  });

  it("says a delivery inside a sentence, about the email", () => {
    expect(describeDelivery({ status: "bounced", error: "SES bounce: Permanent/General" })).toBe("email bounced: SES bounce: Permanent/General");
    expect(describeDelivery({ status: "delivered", since: "2026-11-25T08:51:42Z" })).toBe("email delivered 2026-11-25 08:51 UTC");
    expect(describeDelivery(undefined)).toBe("email not sent yet");
  });
});

describe("describeChanges", () => {
  it("says each changed field as before → after, with none for a missing value and lists as JSON", () => {
    expect(
      describeChanges({
        accessEndsAt: ["2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z"],
        stakeholders: [["lead@acme.example"], ["lead@acme.example", "cfo@acme.example"]],
        name: [null, "Acme"],
      }),
    ).toEqual([
      "accessEndsAt: 2027-03-01T00:00:00Z → 2027-04-01T00:00:00Z",
      'stakeholders: ["lead@acme.example"] → ["lead@acme.example","cfo@acme.example"]',
      "name: none → Acme",
    ]);
    expect(describeChanges(undefined)).toEqual([]);
  });

  it("names projects in project roles and project ids, and keeps the id of one it cannot name", () => {
    const names: Record<string, string> = { prj_01WEB: "Web", prj_01IOS: "iOS" };
    expect(
      describeChanges(
        {
          projects: [["prj_01WEB:viewer"], ["prj_01WEB:analyst", "prj_01GONE:viewer"]],
          projectId: [null, "prj_01IOS"],
          tags: [[], ["a:b"]],
        },
        (id) => names[id],
      ),
    ).toEqual(["projects: Web: viewer → Web: analyst, prj_01GONE: viewer", "projectId: none → iOS", 'tags: [] → ["a:b"]']);
  });
});
