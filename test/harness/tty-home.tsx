/**
 * The home screen on the process's own terminal, read through KeyStream as the wizard reads it;
 * prints `chose <value>` on stderr and exits. test/unit/keys.test.tsx runs it under `script`
 * (a real pseudo-terminal) and writes several keys in one read.
 */
import {render} from 'ink';
import {HomeScreen} from '../../source/ui/HomeScreen.js';
import {KeyStream} from '../../source/ui/key-stream.js';
import {overview} from './fixtures.js';

const instance = render(
	<HomeScreen
		overview={overview()}
		width={80}
		onChoose={(choice) => {
			process.stderr.write(`chose ${choice}\n`);
			instance.unmount();
		}}
	/>,
	{stdin: new KeyStream(process.stdin) as never},
);
await instance.waitUntilExit();
process.exit(0);
