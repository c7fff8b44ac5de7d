// Micro benchmark of @Returns' compiled response serializer against JSON.stringify, on the create
// scenario's DTO (bench/frameworks/flagon/create-user.ts). Not part of the test suite.
//   npm run build && npx tsc -p bench/tsconfig.build.json && node bench/serializer.mjs [iterations]
// Prints nanoseconds per call (the best of several rounds) for each way of writing the body.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const repo = join(import.meta.dirname, '..');
require('reflect-metadata');
const { compileResponseSerializer } = require(join(repo, 'dist/cjs/http/response-serializer.js'));
const { CreateUserDto } = require(join(repo, 'dist/bench/frameworks/flagon/create-user.js'));

const iterations = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = 7;
const dto = Object.assign(new CreateUserDto(), {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  age: 36,
});
// The same user as a database row: what a handler returning a row would hand over.
const row = {
  ...dto,
  id: 42,
  password_hash: '$scrypt$N=16384,r=8,p=1$c2FsdA$aGFzaA',
  is_admin: false,
};
const serialize = compileResponseSerializer(CreateUserDto);
const pick = (value) => JSON.stringify({ name: value.name, email: value.email, age: value.age });

const cases = [
  ['JSON.stringify(dto)', () => JSON.stringify(dto)],
  ['serializer(dto)', () => serialize(dto)],
  ['JSON.stringify(row) (leaks password_hash)', () => JSON.stringify(row)],
  ['JSON.stringify(picked row)', () => pick(row)],
  ['serializer(row)', () => serialize(row)],
];

let sink = 0;
function measure(run) {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink += run().length;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / iterations);
  }
  return best;
}

if (serialize(row) !== JSON.stringify(dto)) throw new Error('the serializer wrote something else');
for (const [, run] of cases) measure(run); // warm-up, every case compiled before timing
const rows = cases.map(([name, run]) => [name, measure(run)]);
const base = rows[0][1];
for (const [name, ns] of rows)
  console.log(
    `${name.padEnd(44)} ${ns.toFixed(1).padStart(7)} ns/op  ${(base / ns).toFixed(2)}× JSON.stringify(dto)`,
  );
if (sink === 0) console.log('');
