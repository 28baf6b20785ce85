/** Collapsible help: a question and its answer, keyboard-operable through the native details element. */
export interface HelpItem {
  question: string;
  answer: string;
}

export function HelpSection({ title, items }: { title: string; items: HelpItem[] }) {
  return (
    <section class="help" aria-label={title}>
      <h2>{title}</h2>
      {items.map((item) => (
        <details key={item.question}>
          <summary>{item.question}</summary>
          <p>{item.answer}</p>
        </details>
      ))}
    </section>
  );
}
