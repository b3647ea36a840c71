/**
 * A window onto long text (diffs, reports, the journal): `offset` is the first line shown.
 * Diff lines are coloured by their marker.
 */
import {Box, Text} from 'ink';
import {tone, truncate} from './theme.js';

export function ScrollText({
	lines,
	offset,
	height,
	width,
	diff = false,
}: {
	lines: string[];
	offset: number;
	height: number;
	width: number;
	diff?: boolean;
}) {
	const visible = lines.slice(offset, offset + height);
	return (
		<Box flexDirection="column" height={height}>
			{visible.map((line, index) => (
				<Text key={offset + index} color={diff ? diffTone(line) : undefined} wrap="truncate-end">
					{truncate(line, width) || ' '}
				</Text>
			))}
		</Box>
	);
}

function diffTone(line: string): string | undefined {
	if (line.startsWith('+++') || line.startsWith('---')) return tone('accent');
	if (line.startsWith('+')) return tone('add');
	if (line.startsWith('-')) return tone('remove');
	if (line.startsWith('@@')) return tone('hunk');
	return undefined;
}

/** Clamps a scroll offset so the window never runs past the end. */
export function clampOffset(offset: number, total: number, height: number): number {
	return Math.max(0, Math.min(offset, Math.max(0, total - height)));
}
