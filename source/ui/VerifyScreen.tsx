/**
 * Verify isolation: every ordered pair of the stack's namespaces, probed, against the plan —
 * the matrix, then what is not as intended (with why), the paths through the host, and egress
 * as configured. Scrolls with the keys of every page.
 *
 *   Verify isolation · after iteration 3 (retire-legacy)  (1-19/52)
 *   ✖ 272 pairs, 2 not as intended, 1 through the host
 *   · reachable as intended  x blocked as intended  ! not as intended  ? no listener
 *                   a b c d e f g h i j k l m n o p q
 *   a traefik       \ ? · · · · · · · x · · x x x x ?
 *   …
 *   ↑↓ PgUp/PgDn scroll  ·  q back
 */
import {Box, Text} from 'ink';
import {useState} from 'react';
import type {ReachabilityMatrix} from '../plan/matrix.js';
import {renderMatrixText} from '../plan/matrix-render.js';
import {useScreenInput} from './input.js';
import {KeyHints} from './KeyHints.js';
import {clampOffset, ScrollText} from './ScrollText.js';
import {glyphs, symbols, tone, truncate} from './theme.js';

export function VerifyScreen({
	matrix,
	width,
	height,
	onBack,
}: {
	matrix: ReachabilityMatrix;
	width: number;
	height: number;
	onBack: () => void;
}) {
	const [offset, setOffset] = useState(0);
	// The first two lines (the stage and the counts) are the screen's heading, not scrolled away.
	const [, summary = '', ...lines] = renderMatrixText(matrix, width);
	const body = Math.max(3, height - 4);
	const scroll = (delta: number) => setOffset((current) => clampOffset(current + delta, lines.length, body));
	useScreenInput((input, key) => {
		if (key.escape || input === 'q' || key.return) onBack();
		else if (key.downArrow || input === 'j') scroll(1);
		else if (key.upArrow || input === 'k') scroll(-1);
		else if (key.pageDown || input === ' ') scroll(body);
		else if (key.pageUp) scroll(-body);
	});
	const stage =
		matrix.iteration < 0
			? 'before any iteration'
			: `after iteration ${matrix.iteration + 1}${matrix.iterationName ? ` (${matrix.iterationName})` : ''}`;
	const position = lines.length > body ? `  (${offset + 1}-${Math.min(offset + body, lines.length)}/${lines.length})` : '';
	const clean = matrix.mismatches.length === 0 && matrix.hostPaths.length === 0;
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{truncate(`Verify isolation ${glyphs().dot} ${stage}${position}`, width)}
			</Text>
			<Text color={tone(clean ? 'ok' : 'fail')} wrap="truncate-end">
				{truncate(`${clean ? symbols.done : symbols.failed} ${summary}`, width)}
			</Text>
			<ScrollText lines={lines} offset={offset} height={body} width={width} />
			<KeyHints
				hints={[
					[`${glyphs().upDown} PgUp/PgDn`, 'scroll'],
					['q', 'back'],
				]}
				width={width}
			/>
		</Box>
	);
}
