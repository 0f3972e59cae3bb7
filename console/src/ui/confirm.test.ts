import { describe, expect, it } from "vitest";
import { confirmStep, type ConfirmState } from "./confirm.js";

describe("confirmStep", () => {
  const idle: ConfirmState = { step: "idle" };

  it("asks, then works on confirm, then is idle again", () => {
    const asking = confirmStep(idle, { type: "ask", id: "inv_1", action: "revoke" });
    expect(asking).toEqual({ step: "confirming", id: "inv_1", action: "revoke" });
    const working = confirmStep(asking, { type: "confirm" });
    expect(working).toEqual({ step: "working", id: "inv_1", action: "revoke" });
    expect(confirmStep(working, { type: "finished" })).toEqual(idle);
  });

  it("cancel drops the question and nothing is sent", () => {
    const asking = confirmStep(idle, { type: "ask", id: "inv_1", action: "resend" });
    expect(confirmStep(asking, { type: "cancel" })).toEqual(idle);
    expect(confirmStep(idle, { type: "confirm" })).toEqual(idle);
  });

  it("asking on another row moves the question there, but not while a request is on its way", () => {
    const asking = confirmStep(idle, { type: "ask", id: "inv_1", action: "resend" });
    expect(confirmStep(asking, { type: "ask", id: "inv_2", action: "revoke" })).toEqual({ step: "confirming", id: "inv_2", action: "revoke" });
    const working = confirmStep(asking, { type: "confirm" });
    expect(confirmStep(working, { type: "ask", id: "inv_2", action: "revoke" })).toBe(working);
    expect(confirmStep(working, { type: "cancel" })).toBe(working);
  });
});
