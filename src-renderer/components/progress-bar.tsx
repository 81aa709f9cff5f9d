/** A native <progress> (no inline styles, so the strict CSP holds); without a total it is indeterminate. */
export function ProgressBar({
  value,
  max,
  label,
}: {
  value: number;
  max: number | undefined;
  label: string;
}) {
  const known = max !== undefined && max > 0;
  return (
    <progress
      className="progress"
      value={known ? Math.min(value, max) : undefined}
      max={known ? max : undefined}
      aria-label={label}
    />
  );
}
