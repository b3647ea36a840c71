/**
 * A grid of short cells under short column labels, fitted to a terminal's width: the network
 * map (services × networks) and the reachability matrix (sources × targets) both draw one. Row
 * labels are cut to fit; when the columns do not fit beside them, they are paged — each page
 * repeats the row labels under its own header — so an 80-column terminal shows a 200-service
 * matrix as pages one above the other, never as wrapped lines. Pure.
 */

export type GridRow = {label: string; /** none: a line of its own under the previous row (a namespace's follower) */ cells?: string[]};

export type GridInput = {
	rows: GridRow[];
	columns: string[];
	width: number;
	/** at least this wide, each column */ cellWidth?: number;
	/** what a page is of, for its header: "targets" */ pageOf?: string;
};

/** Column labels a, b, …, z, aa, ab, …: short, and as many as needed. */
export function shortLabels(count: number, alphabet = 'abcdefghijklmnopqrstuvwxyz'): string[] {
	const base = alphabet.length;
	return Array.from({length: count}, (_, index) => {
		let label = '';
		for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / base)) label = (alphabet[(rest - 1) % base] as string) + label;
		return label;
	});
}

export function fitText(text: string, width: number): string {
	return text.length <= width ? text.padEnd(width) : `${text.slice(0, Math.max(0, width - 1))}~`;
}

export function renderGrid(input: GridInput): string[] {
	const cellWidth = Math.max(input.cellWidth ?? 1, ...input.columns.map((column) => column.length)) + 1;
	const longest = Math.max(8, ...input.rows.map((row) => row.label.length)) + 1;
	// The labels give way first (down to 12 columns), then the columns page.
	const labelWidth = Math.min(longest, Math.max(12, input.width - cellWidth * input.columns.length));
	const perPage = Math.max(1, Math.floor((input.width - labelWidth) / cellWidth));
	const pages = Math.max(1, Math.ceil(input.columns.length / perPage));
	const lines: string[] = [];
	for (let page = 0; page < pages; page++) {
		const first = page * perPage;
		const columns = input.columns.slice(first, first + perPage);
		if (pages > 1)
			lines.push(...(page > 0 ? [''] : []), `${input.pageOf ?? 'columns'} ${columns[0]}-${columns.at(-1)} (${page + 1}/${pages})`);
		lines.push(`${' '.repeat(labelWidth)}${columns.map((column) => column.padEnd(cellWidth)).join('')}`.trimEnd());
		for (const row of input.rows) {
			const cells = row.cells?.slice(first, first + perPage) ?? [];
			lines.push(`${fitText(row.label, labelWidth)}${cells.map((cell) => cell.padEnd(cellWidth)).join('')}`.trimEnd());
		}
	}
	return lines;
}

/** Words to `width`, every line indented by `indent` (the first by `first`). */
export function wrapWords(text: string, width: number, indent: string, first = indent): string[] {
	const lines: string[] = [];
	let line = first;
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const fresh = line === indent || (lines.length === 0 && line === first);
		if (line.trim() !== '' && line !== indent && line.length + word.length + (fresh ? 0 : 1) > width) {
			lines.push(line.trimEnd());
			line = indent;
		}
		line += `${line === indent || (lines.length === 0 && line === first) ? '' : ' '}${word}`;
	}
	if (line.trim() !== '') lines.push(line.trimEnd());
	return lines;
}

/** "prefix a, b, c" wrapped at `width`, continuation lines indented by `indent`. */
export function wrapList(prefix: string, items: string[], width: number, indent = '  '): string[] {
	return wrapWords(items.join(', '), width, indent, `${prefix} `);
}
