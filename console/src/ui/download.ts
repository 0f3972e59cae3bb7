/**
 * Saves a Blob as a file: an object URL on a temporary link with `download`, clicked, then freed.
 * (The CSV comes through fetch with the bearer token; a bare link could not send it.)
 */
export function saveBlob(blob: Blob, filename: string, doc: Document = document, urls: Pick<typeof URL, "createObjectURL" | "revokeObjectURL"> = URL): void {
  const url = urls.createObjectURL(blob);
  const link = doc.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  doc.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Freed after the click has started the download.
    setTimeout(() => urls.revokeObjectURL(url), 0);
  }
}
