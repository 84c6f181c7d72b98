import Link from "next/link";

export interface RangeOption {
  value: string;
  label: string;
}

/** Plain links (no client JS): the range lives in the URL, so it survives reloads and can be shared. */
export function RangeSelector({ options, current }: { options: readonly RangeOption[]; current: string }) {
  return (
    <nav aria-label="Time range" data-testid="range-selector" className="inline-flex rounded-lg border border-slate-200 bg-white p-0.5 shadow-sm">
      {options.map((option) => {
        const active = option.value === current;
        return (
          <Link
            key={option.value}
            href={`/?range=${option.value}`}
            aria-current={active ? "page" : undefined}
            data-testid={`range-${option.value}`}
            title={option.label}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {option.value}
          </Link>
        );
      })}
    </nav>
  );
}
