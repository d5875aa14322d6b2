/**
 * A message from the core, which writes commands in backticks so the command line prints them
 * plainly (`ollama serve`); on the page they become code, not literal backticks.
 */
export function MessageText({ text }: { text: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  if (parts.length === 1) return text;
  return parts.map((part, i) =>
    // Odd parts are what stood between backticks.
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string never reorder.
    i % 2 ? <code key={i}>{part}</code> : part,
  );
}
