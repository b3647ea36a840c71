/** The last line of every screen: which keys do what here. */
import {Text} from 'ink';
import {tone} from './theme.js';

export function KeyHints({hints}: {hints: Array<[string, string]>}) {
	return <Text color={tone('muted')}>{hints.map(([key, action]) => `${key} ${action}`).join('  ·  ')}</Text>;
}
