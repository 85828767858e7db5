import { hash } from '@node-rs/argon2';
import argon2 from 'argon2';
import { ARGON2ID_COST, argon2idHasher } from './password-hasher';

// The stored hashes were written by the `argon2` package (the C reference code) until identity moved to
// @node-rs/argon2: both must read each other's PHC strings, now and for as long as such hashes exist.
const PASSWORD = 'correct horse battery staple';
/** Written by argon2 0.44.0 at identity's cost before the switch, as a user document holds it. */
const STORED = '$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$gy5SuVm5Z7Vw7keB9se9p87QGcomaseB/S2U1OhTsM0';

test("the hash is argon2id at identity's cost, with a fresh salt each time", async () => {
  const [first, second] = [await argon2idHasher.hash(PASSWORD), await argon2idHasher.hash(PASSWORD)];
  expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  expect(second).not.toBe(first);
});

test('a hash stored by the argon2 package still verifies, and only with its password', async () => {
  await expect(argon2idHasher.verify(STORED, PASSWORD)).resolves.toBe(true);
  await expect(argon2idHasher.verify(STORED, `${PASSWORD} `)).resolves.toBe(false);
});

test('both packages give the same PHC string for the same salt, and each verifies the other', async () => {
  const salt = Buffer.from('0123456789abcdef');
  await expect(argon2.hash(PASSWORD, { type: argon2.argon2id, ...ARGON2ID_COST, salt })).resolves.toBe(STORED);
  await expect(hash(PASSWORD, { ...ARGON2ID_COST, salt })).resolves.toBe(STORED);
  const ours = await argon2idHasher.hash(PASSWORD);
  await expect(argon2.verify(ours, PASSWORD)).resolves.toBe(true);
  await expect(argon2.verify(ours, 'wrong')).resolves.toBe(false);
  const theirs = await argon2.hash(PASSWORD, { type: argon2.argon2id, ...ARGON2ID_COST });
  await expect(argon2idHasher.verify(theirs, PASSWORD)).resolves.toBe(true);
  await expect(argon2idHasher.verify(theirs, 'wrong')).resolves.toBe(false);
});
