import type { ReactNode } from 'react';

/** The frame every view shares: a section labelled by its title, with a bar for the view's own controls. */
export function ViewFrame(props: { name: string; title: string; bar?: ReactNode; children: ReactNode }) {
  const titleId = `${props.name}-title`;
  return (
    <section className={`view ${props.name}-view`} aria-labelledby={titleId}>
      <div className="view-bar">
        <h2 id={titleId} className="view-title">
          {props.title}
        </h2>
        {props.bar}
      </div>
      {props.children}
    </section>
  );
}
