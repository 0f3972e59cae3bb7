import { describe, expect, it, vi } from "vitest";
import { saveBlob } from "./download.js";

describe("saveBlob", () => {
  it("clicks a hidden link to an object URL of the blob, named as the API named the file, then frees the URL", () => {
    vi.useFakeTimers();
    const clicked: { href: string; download: string; inPage: boolean }[] = [];
    const body = { children: new Set<unknown>(), appendChild(node: unknown) { this.children.add(node); } };
    const link = {
      href: "",
      download: "",
      hidden: false,
      click() { clicked.push({ href: this.href, download: this.download, inPage: body.children.has(this) }); },
      remove() { body.children.delete(this); },
    };
    const doc = { body, createElement: (tag: string) => (tag === "a" ? link : null) } as unknown as Document;
    const urls = { createObjectURL: vi.fn(() => "blob:console/1"), revokeObjectURL: vi.fn() };
    const blob = new Blob(['"id"\n'], { type: "text/csv" });

    saveBlob(blob, "audit-org_1.csv", doc, urls);

    expect(urls.createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicked).toEqual([{ href: "blob:console/1", download: "audit-org_1.csv", inPage: true }]);
    expect(link.hidden).toBe(true);
    expect(body.children.size).toBe(0);
    // Freed only after the click's task, so the download has started.
    expect(urls.revokeObjectURL).not.toHaveBeenCalled();
    vi.runAllTimers();
    vi.useRealTimers();
    expect(urls.revokeObjectURL).toHaveBeenCalledWith("blob:console/1");
  });
});
