/**
 * Collapsible help: a question and its answer, keyboard-operable through the native details element. `folded` puts
 * the whole section behind its title (once things work, help stays out of the way).
 */
export interface HelpItem {
  question: string;
  answer: string;
}

export function HelpSection({ title, items, folded = false }: { title: string; items: HelpItem[]; folded?: boolean }) {
  const list = items.map((item) => (
    <details key={item.question}>
      <summary>{item.question}</summary>
      <p>{item.answer}</p>
    </details>
  ));
  if (folded) {
    return (
      <details class="help help-folded">
        <summary>{title}</summary>
        <div class="help-items">{list}</div>
      </details>
    );
  }
  return (
    <section class="help" aria-label={title}>
      <h2>{title}</h2>
      {list}
    </section>
  );
}
