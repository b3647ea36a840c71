/**
 * A scrollable page of text: the last report, the journal, a rollback preview.
 *
 *   Journal (newest last)  (1-21/230)
 *   1 apply network-foundation networks intent create network dmz-net
 *   2 apply network-foundation networks done 31 ms
 *   ↑/↓ PgUp/PgDn scroll  ·  q back
 */
import {Box, Text} from 'ink';
import {useScreenInput} from './input.js';
import {useState} from 'react';
import {KeyHints} from './KeyHints.js';
import {clampOffset, ScrollText} from './ScrollText.js';
import {glyphs} from './theme.js';

export function TextScreen({
	title,
	lines,
	width,
	height,
	confirmLabel,
	onConfirm,
	onBack,
}: {
	title: string;
	lines: string[];
	width: number;
	height: number;
	confirmLabel?: string;
	onConfirm?: () => void;
	onBack: () => void;
}) {
	const [offset, setOffset] = useState(0);
	const body = Math.max(3, height - 3);
	const scroll = (delta: number) => setOffset((current) => clampOffset(current + delta, lines.length, body));
	useScreenInput((input, key) => {
		if (key.return && onConfirm) onConfirm();
		else if (key.escape || input === 'q' || (key.return && !onConfirm)) onBack();
		else if (key.downArrow || input === 'j') scroll(1);
		else if (key.upArrow || input === 'k') scroll(-1);
		else if (key.pageDown || input === ' ') scroll(body);
		else if (key.pageUp) scroll(-body);
	});
	return (
		<Box flexDirection="column">
			<Text
				bold
			>{`${title}${lines.length > body ? `  (${offset + 1}-${Math.min(offset + body, lines.length)}/${lines.length})` : ''}`}</Text>
			<ScrollText lines={lines} offset={offset} height={Math.min(body, Math.max(1, lines.length))} width={width} />
			<KeyHints
				hints={[
					...(onConfirm ? [['Enter', confirmLabel ?? 'confirm'] as [string, string]] : []),
					[`${glyphs().upDown} PgUp/PgDn`, 'scroll'],
					['q', 'back'],
				]}
			/>
		</Box>
	);
}
