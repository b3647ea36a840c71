/** The last line of every screen: which keys do what here. */
import {Text, useStdout} from 'ink';
import {glyphs, tone, truncate} from './theme.js';

export function KeyHints({hints, width}: {hints: Array<[string, string]>; width?: number}) {
	const {stdout} = useStdout();
	const room = width ?? (stdout.columns || 80);
	return (
		<Text color={tone('muted')}>{truncate(hints.map(([key, action]) => `${key} ${action}`).join(`  ${glyphs().dot}  `), room)}</Text>
	);
}
