/**
 * A row action behind an inline confirmation (an invitation's Resend and Revoke, a review's Remove):
 * one row at a time asks, then works, then says what happened. Kept apart from the screen so its
 * steps are tested on their own.
 */
export type RowAction = "resend" | "revoke" | "remove";

export type ConfirmState =
  | { step: "idle" }
  | { step: "confirming"; id: string; action: RowAction }
  | { step: "working"; id: string; action: RowAction };

export type ConfirmEvent =
  | { type: "ask"; id: string; action: RowAction }
  | { type: "cancel" }
  | { type: "confirm" }
  | { type: "finished" };

export function confirmStep(state: ConfirmState, event: ConfirmEvent): ConfirmState {
  switch (event.type) {
    case "ask":
      // Nothing new is asked while a request is on its way.
      return state.step === "working" ? state : { step: "confirming", id: event.id, action: event.action };
    case "cancel":
      return state.step === "confirming" ? { step: "idle" } : state;
    case "confirm":
      return state.step === "confirming" ? { step: "working", id: state.id, action: state.action } : state;
    case "finished":
      return state.step === "working" ? { step: "idle" } : state;
  }
}
