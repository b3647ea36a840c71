/** The last line of every screen: which keys do what here. */
import {Text} from 'ink';
import {glyphs, tone, truncate} from './theme.js';

export function KeyHints({hints, width = 80}: {hints: Array<[string, string]>; width?: number}) {
	return <Text color={tone('muted')}>{truncate(hints.map(([key, action]) => `${key} ${action}`).join(`  ${glyphs().dot}  `), width)}</Text>;
}
