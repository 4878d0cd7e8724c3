/** The names on offer, plus the one the URL asks for if the server no longer lists it. */
function optionsWith(names: string[], current: string): string[] {
  return current && !names.includes(current) ? [...names, current] : names;
}

type Props = {
  id: string;
  label: string;
  /** The empty value's words, e.g. "Any style". */
  any: string;
  names: string[];
  value: string;
  onChange: (name: string) => void;
  className?: string;
};

/** One of the names on offer, or any (the empty value): the style and model filters. */
export function NamePick({ id, label, any, names, value, onChange, className = '' }: Props) {
  return (
    <div className={`field ${className}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{any}</option>
        {optionsWith(names, value).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
