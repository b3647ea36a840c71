/**
 * Shown instead of the screen while the terminal is smaller than the wizard can draw in.
 *
 *   netmigrate needs a terminal of at least 60x20;
 *   this one is 50x15.
 *   Make the window larger (or the font smaller) and
 *   the wizard comes back; a run goes on meanwhile.
 *   Ctrl-C stops.
 */
import {Box, Text} from 'ink';
import {tone} from './theme.js';

export const minimumSize = {columns: 60, rows: 20};

export function isTooSmall(size: {columns: number; rows: number}): boolean {
	return size.columns < minimumSize.columns || size.rows < minimumSize.rows;
}

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	return (
		<Box flexDirection="column" width={columns}>
			<Text
				color={tone('warn')}
				wrap="wrap"
			>{`netmigrate needs a terminal of at least ${minimumSize.columns}x${minimumSize.rows}; this one is ${columns}x${rows}.`}</Text>
			<Text wrap="wrap">
				Make the window larger (or the font smaller) and the wizard comes back; a run goes on meanwhile. Ctrl-C stops.
			</Text>
		</Box>
	);
}
