import { useId } from 'react';
import type { Choice } from '../settings/demoSettings.js';

interface SelectFieldProps<T extends string | number> {
  label: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange: (value: T) => void;
  name: string;
  className?: string;
}

/** A labelled <select> over typed choices; the DOM value is the choice's index, so numbers stay numbers. */
export function SelectField<T extends string | number>({ label, value, choices, onChange, name, className }: SelectFieldProps<T>) {
  const id = useId();
  const selected = choices.findIndex((choice) => choice.value === value);
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={String(selected)}
        onChange={(event) => {
          const choice = choices[Number(event.currentTarget.value)];
          if (choice) onChange(choice.value);
        }}
      >
        {choices.map((choice, index) => (
          <option key={String(choice.value)} value={String(index)}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
