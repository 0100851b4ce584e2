import fs from 'node:fs';
import path from 'node:path';
import { withDiagram } from './stateDiagram';

// Rewrites the README's state diagram from the machine table.
const readme = path.resolve(__dirname, '../../README.md');
fs.writeFileSync(readme, withDiagram(fs.readFileSync(readme, 'utf8')));
console.log(`state diagram written to ${readme}`);
