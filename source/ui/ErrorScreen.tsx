/**
 * An error that stopped the wizard before a run could show it (the plan does not load, the
 * engine does not answer): the message in a red box, its first line marked, then the way on —
 * home, or quit with the message on the terminal.
 *
 *   ╭──────────────────────────────────────────────────────────────────────────────╮
 *   │ ✖ /srv/media/netmigrate.yml:14: networks.dmz-net.subnet: 172.20.0.0/33 is    │
 *   │ not a CIDR                                                                   │
 *   │   fix: write it as an address and a prefix length, e.g. 172.20.0.0/24        │
 *   ╰──────────────────────────────────────────────────────────────────────────────╯
 *   Enter home  ·  q quit  ·  ? keys
 */
import {Box, Text} from 'ink';
import {useScreenInput} from './input.js';
import {KeyHints} from './KeyHints.js';
import {glyphs, symbols, tone} from './theme.js';

export function ErrorScreen({message, width, onBack, onQuit}: {message: string; width: number; onBack: () => void; onQuit: () => void}) {
	useScreenInput((input, key) => {
		if (input === 'q') onQuit();
		else if (key.return || key.escape) onBack();
	});
	return (
		<Box flexDirection="column">
			<Box borderStyle={glyphs().border} borderColor={tone('fail')} paddingX={1} flexDirection="column">
				{message.split('\n').map((line, index) => (
					<Text key={index} color={index === 0 ? tone('fail') : undefined} wrap="wrap">
						{index === 0 ? `${symbols.failed} ${line.replace(/^error: /, '')}` : line}
					</Text>
				))}
			</Box>
			<KeyHints
				hints={[
					['Enter', 'home'],
					['q', 'quit'],
					['?', 'keys'],
				]}
				width={width}
			/>
		</Box>
	);
}
