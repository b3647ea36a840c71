/**
 * One wait in progress, on one line: the service, what it waits for, a bar and the time in
 * words. The bar fills against the time the wait should take (about); past that, a second fill
 * in the warn colour creeps over it toward the most it may take, so a healthcheck on its retries
 * looks late, not stuck. The words keep the event's own figures, as the log line says them.
 *
 *   sonarr        first healthcheck  █████████░░░░  42s of about 1m (at most 2m)
 *   radarr        first healthcheck  ▓▓▓▓▓████████  1m20s of about 1m (at most 2m)
 *
 * ASCII terminals get `#`, `.` and `=`. It moves with the run's clock (source/ui/run-clock.ts),
 * or `now` when a test fixes the time.
 */
import {Box, Text} from 'ink';
import {waitDuration} from '../events.js';
import {useNow} from './run-clock.js';
import type {WaitView} from './run-state.js';
import {fit, glyphs, tone} from './theme.js';

/** Columns before the bar: an indent under the step titles, the service, what it waits for. */
const serviceWidth = 14;
const whatWidth = 19;
const before = 2 + serviceWidth + whatWidth;
/** Room for the elapsed time at its widest (`9m59s`), so the bar keeps its length as the seconds go. */
const elapsedWidth = 5;

export function WaitBar({wait, width, now}: {wait: WaitView; width: number; now?: number}) {
	const elapsed = Math.max(0, useNow(now) - wait.startedAt);
	const tail = ` of about ${waitDuration(wait.aboutMs)} (at most ${waitDuration(wait.mostMs)})`;
	const cells = Math.max(4, Math.min(24, width - before - 2 - elapsedWidth - tail.length));
	const bar = barCells(elapsed, wait, cells);
	const late = bar.over > 0;
	const {barFilled, barEmpty, barOver} = glyphs();
	return (
		<Box>
			<Text>{`  ${fit(wait.service, serviceWidth - 1)} `}</Text>
			<Text color={tone('muted')}>{fit(wait.waitsFor, whatWidth)}</Text>
			<Text color={tone('warn')}>{barOver.repeat(bar.over)}</Text>
			<Text color={tone('accent')}>{barFilled.repeat(bar.filled)}</Text>
			<Text color={tone('muted')}>{barEmpty.repeat(bar.empty)}</Text>
			<Text color={late ? tone('warn') : tone('muted')}>
				{fit(`  ${waitDuration(elapsed)}${tail}`, Math.max(0, width - before - cells))}
			</Text>
		</Box>
	);
}

/**
 * How many cells of each kind: until `about`, filled cells grow against it; from then on the
 * bar is full and over-time cells replace them from the left against the rest of `most`. A wait
 * whose most is no more than its about (a healthcheck interval longer than compose waits) is
 * over time as soon as it is past its most.
 */
function barCells(elapsed: number, wait: Pick<WaitView, 'aboutMs' | 'mostMs'>, cells: number) {
	const about = Math.min(wait.aboutMs, wait.mostMs);
	if (elapsed < about) {
		const filled = Math.floor((elapsed / about) * cells);
		return {over: 0, filled, empty: cells - filled};
	}
	const overtime = wait.mostMs - about;
	const over = overtime > 0 ? Math.min(cells, Math.ceil(((elapsed - about) / overtime) * cells)) : cells;
	return {over, filled: cells - over, empty: 0};
}
