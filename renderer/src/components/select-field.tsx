/** One entry of a drop-down: the value it stands for and the words shown. */
export interface Choice<V extends string> {
  readonly value: V;
  readonly label: string;
}

type SelectProps<V extends string> = Readonly<{
  value: V;
  choices: readonly Choice<V>[];
  onChange: (value: V) => void;
  /** The accessible name where no visible caption stands beside the select (a table cell). */
  'aria-label'?: string;
}>;

/**
 * A drop-down over a fixed list of choices. The new value is looked up among the choices, so the
 * caller receives one of its own typed values and never a cast string.
 */
export function Select<V extends string>({ value, choices, onChange, 'aria-label': ariaLabel }: SelectProps<V>) {
  return (
    <select
      aria-label={ariaLabel}
      value={value}
      onChange={(e) => {
        const picked = choices.find((c) => c.value === e.target.value);
        if (picked) {
          onChange(picked.value);
        }
      }}
    >
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}

/** A drop-down with its caption above it (the `.field` layout of the forms). */
export function SelectField<V extends string>({ label, ...select }: SelectProps<V> & Readonly<{ label: string }>) {
  return (
    <label className="field">
      <span>{label}</span>
      <Select {...select} />
    </label>
  );
}
