import { describe, expect, it } from "vitest";
import { toApiProblem } from "../api/problem.js";
import { formFromSettings, parseDomains, parseRoleTemplates, settingsChange, settingsProblem, validateSettings, type OrgSettings } from "./settings.js";

const read: OrgSettings = {
  invitationTtlDays: 7,
  maxAccessDays: 365,
  requireAccessEndDate: false,
  requireJustification: false,
  internalDomains: ["acme.example"],
  allowedEmailDomains: [],
  blockConsumerDomains: false,
  emailPatternMode: "warn",
  invitesPerDay: 50,
  defaultStakeholders: [],
  welcomeLinks: [{ title: "Guide", url: "https://acme.example/guide" }],
  auditRetentionDays: 400,
  roleTemplates: { support: { orgRole: "member", projectRole: "viewer" } },
  keepInvitationsOfDepartedInviters: false,
  supportContact: "help@acme.example",
};

function problem422(errors: { pointer: string; message: string }[]) {
  return toApiProblem(422, { type: "about:blank", code: "validation_failed", title: "Invalid", status: 422, errors }, new Headers());
}

describe("settingsChange", () => {
  it("sends nothing when nothing was changed", () => {
    expect(settingsChange(read, formFromSettings(read))).toEqual({});
  });

  it("sends only the settings changed, as the API types them", () => {
    const form = {
      ...formFromSettings(read),
      maxAccessDays: " 90 ",
      requireJustification: true,
      internalDomains: "acme.example\n partner.example ,",
      welcomeLinks: [...read.welcomeLinks, { title: " Dashboards ", url: "https://acme.example/d " }],
    };
    expect(settingsChange(read, form)).toEqual({
      maxAccessDays: 90,
      requireJustification: true,
      internalDomains: ["acme.example", "partner.example"],
      welcomeLinks: [
        { title: "Guide", url: "https://acme.example/guide" },
        { title: "Dashboards", url: "https://acme.example/d" },
      ],
    });
  });

  it("removes an optional setting cleared with null, and sets one typed", () => {
    const form = { ...formFromSettings(read), supportContact: "  ", loginMethod: "sso" as const, emailPattern: "^svc-" };
    expect(settingsChange(read, form)).toEqual({ supportContact: null, loginMethod: "sso", emailPattern: "^svc-" });
  });

  it("sends the role templates as a whole when one is added", () => {
    const form = { ...formFromSettings(read), roleTemplates: "support: member, viewer\nleads: admin" };
    expect(settingsChange(read, form)).toEqual({
      roleTemplates: { support: { orgRole: "member", projectRole: "viewer" }, leads: { orgRole: "admin" } },
    });
  });
});

describe("the invitation request and inactivity settings", () => {
  it("reads the API's defaults when an org lacks them, and sends nothing for them unchanged", () => {
    const form = formFromSettings(read);
    expect([form.invitationRequests, form.invitationRequestDays, form.requireSecondApproval, form.removeAfterInactiveDays]).toEqual(["off", "14", false, ""]);
    expect(settingsChange({ ...read, invitationRequests: "off", invitationRequestDays: 14, requireSecondApproval: false }, form)).toEqual({});
  });

  it("sends the ones changed, an inactivity limit as a number", () => {
    const form = { ...formFromSettings(read), invitationRequests: "members" as const, invitationRequestDays: "30", requireSecondApproval: true, removeAfterInactiveDays: " 90 " };
    expect(settingsChange(read, form)).toEqual({ invitationRequests: "members", invitationRequestDays: 30, requireSecondApproval: true, removeAfterInactiveDays: 90 });
  });

  it("turns the inactivity removal off with null when the field is emptied", () => {
    const withLimit = { ...read, removeAfterInactiveDays: 180 };
    expect(formFromSettings(withLimit).removeAfterInactiveDays).toBe("180");
    expect(settingsChange(withLimit, { ...formFromSettings(withLimit), removeAfterInactiveDays: "" })).toEqual({ removeAfterInactiveDays: null });
  });

  it("refuses days out of range beside their fields; an empty inactivity limit is off, not an error", () => {
    const errors = validateSettings({ ...formFromSettings(read), invitationRequestDays: "91", removeAfterInactiveDays: "7" });
    expect(errors).toEqual({
      invitationRequestDays: "Enter a whole number from 1 to 90.",
      removeAfterInactiveDays: "Enter a whole number from 14 to 3650, or leave it empty for never.",
    });
    expect(validateSettings({ ...formFromSettings(read), removeAfterInactiveDays: "" })).toEqual({});
  });

  it("puts the API's errors on them beside their fields", () => {
    const shown = settingsProblem(problem422([{ pointer: "/settings/removeAfterInactiveDays", message: "must be at least 14" }]), formFromSettings(read));
    expect(shown.fields).toEqual({ removeAfterInactiveDays: "must be at least 14" });
  });
});

describe("the access review setting", () => {
  it("reads false when an org lacks it, and sends nothing for it unchanged", () => {
    expect(formFromSettings(read).reviewsByProjectManagers).toBe(false);
    expect(settingsChange({ ...read, reviewsByProjectManagers: false }, formFromSettings(read))).toEqual({});
  });

  it("sends it when ticked or cleared", () => {
    expect(settingsChange(read, { ...formFromSettings(read), reviewsByProjectManagers: true })).toEqual({ reviewsByProjectManagers: true });
    const on = { ...read, reviewsByProjectManagers: true };
    expect(formFromSettings(on).reviewsByProjectManagers).toBe(true);
    expect(settingsChange(on, { ...formFromSettings(on), reviewsByProjectManagers: false })).toEqual({ reviewsByProjectManagers: false });
  });

  it("shows the API's refusal of it beside its checkbox", () => {
    const shown = settingsProblem(problem422([{ pointer: "/settings/reviewsByProjectManagers", message: "is not a setting" }]), formFromSettings(read));
    expect(shown.fields).toEqual({ reviewsByProjectManagers: "is not a setting" });
  });
});

describe("validateSettings", () => {
  it("accepts the settings read", () => {
    expect(validateSettings(formFromSettings(read))).toEqual({});
  });

  it("names each field out of range or malformed", () => {
    const form = {
      ...formFromSettings(read),
      invitationTtlDays: "31",
      maxAccessDays: "",
      invitesPerDay: "2.5",
      loginUrl: "ftp://x",
      welcomeLinks: [{ title: "", url: "acme.example" }],
      roleTemplates: "broken line",
      emailPattern: "(",
    };
    expect(Object.keys(validateSettings(form)).sort()).toEqual(
      ["emailPattern", "invitationTtlDays", "invitesPerDay", "loginUrl", "maxAccessDays", "roleTemplates", "welcomeLinks.0.title", "welcomeLinks.0.url"].sort(),
    );
    expect(validateSettings(form).invitationTtlDays).toBe("Enter a whole number from 1 to 30.");
  });
});

describe("parseRoleTemplates", () => {
  it("refuses an unknown role with the line number", () => {
    expect(parseRoleTemplates("a: member\nb: owner")).toEqual({ ok: false, message: expect.stringContaining("Line 2") });
  });
});

describe("settingsProblem", () => {
  it("puts each API field error beside its field, a welcome link's beside that link's part", () => {
    const form = { ...formFromSettings(read), welcomeLinks: [{ title: "Guide", url: "http://x" }] };
    const shown = settingsProblem(
      problem422([
        { pointer: "/settings/maxAccessDays", message: "must be at least 1" },
        { pointer: "/settings/welcomeLinks/0/url", message: "must start with https://" },
        { pointer: "/settings/internalDomains/1", message: "is not a domain" },
        { pointer: "/settings/roleTemplates/leads/orgRole", message: "must be admin or member" },
      ]),
      form,
    );
    expect(shown.fields).toEqual({
      maxAccessDays: "must be at least 1",
      "welcomeLinks.0.url": "must start with https://",
      internalDomains: "is not a domain",
      roleTemplates: "must be admin or member",
    });
    expect(shown.messages).toEqual([]);
  });

  it("shows an error the form has no field for above the form", () => {
    const shown = settingsProblem(problem422([{ pointer: "/name", message: "is too long" }, { pointer: "", message: "settings conflict" }]), formFromSettings(read));
    expect(shown.fields).toEqual({});
    expect(shown.messages).toEqual(["settings conflict", "name: is too long"]);
  });
});

describe("the SSO settings", () => {
  it("read empty for an org without them, and send nothing unchanged", () => {
    const form = formFromSettings(read);
    expect([form.ssoDomains, form.ssoLoginUrl]).toEqual(["", ""]);
    expect(settingsChange(read, form)).toEqual({});
    const sso = { ...read, loginMethod: "sso" as const, ssoDomains: ["acme.example", "acme.co.uk"], ssoLoginUrl: "https://sso.acme.example/" };
    expect(formFromSettings(sso).ssoDomains).toBe("acme.example\nacme.co.uk");
    expect(settingsChange(sso, formFromSettings(sso))).toEqual({});
  });

  it("read the domains one a line or comma separated, lower-cased, an address as its domain, each once", () => {
    expect(parseDomains(" Acme.example, acme.co.uk\n\n@subsidiary.example\nana@ACME.example\n")).toEqual(["acme.example", "acme.co.uk", "subsidiary.example"]);
    expect(parseDomains(" \n, ")).toEqual([]);
  });

  it("send the domains and the SSO login address changed, and null for an address cleared", () => {
    const form = { ...formFromSettings(read), loginMethod: "sso" as const, ssoDomains: "acme.example\nACME.co.uk", ssoLoginUrl: " https://sso.acme.example/start " };
    expect(settingsChange(read, form)).toEqual({ loginMethod: "sso", ssoDomains: ["acme.example", "acme.co.uk"], ssoLoginUrl: "https://sso.acme.example/start" });
    const sso = { ...read, ssoDomains: ["acme.example"], ssoLoginUrl: "https://sso.acme.example/" };
    expect(settingsChange(sso, { ...formFromSettings(sso), ssoDomains: "", ssoLoginUrl: "" })).toEqual({ ssoDomains: [], ssoLoginUrl: null });
  });

  it("refuse an SSO login address that is not http(s) beside its field", () => {
    expect(validateSettings({ ...formFromSettings(read), ssoLoginUrl: "sso.acme.example" })).toEqual({ ssoLoginUrl: "Start the address with https:// or http://." });
  });

  it("put the API's errors beside each field, naming the domain refused", () => {
    const form = { ...formFromSettings(read), ssoDomains: "acme.example\nACME portal\ndomain", ssoLoginUrl: "https://x" };
    const shown = settingsProblem(
      problem422([
        { pointer: "/settings/ssoDomains/1", message: "is not a domain name" },
        { pointer: "/settings/ssoDomains/2", message: "is not a domain name" },
        { pointer: "/settings/ssoLoginUrl", message: "must be an http(s) URL" },
      ]),
      form,
    );
    // The domains as sent (lower-cased) name the entries; one named like a word of the message is still named.
    expect(shown).toEqual({
      fields: { ssoDomains: "acme portal: is not a domain name domain: is not a domain name", ssoLoginUrl: "must be an http(s) URL" },
      messages: [],
    });
  });

  it("do not name the entry twice when the API's message already does", () => {
    const form = { ...formFromSettings(read), defaultStakeholders: "not-an-address" };
    const shown = settingsProblem(problem422([{ pointer: "/settings/defaultStakeholders/0", message: "not-an-address is not a valid email address" }]), form);
    expect(shown.fields).toEqual({ defaultStakeholders: "not-an-address is not a valid email address" });
  });
});
