import { emailLatencyFigures, peakRssMb, ratioFigure } from './figures';
import { meets } from './report';

test('a ratio divides the two sides measured in the run and keeps both', () => {
  const figure = ratioFigure(
    'login ÷ argon2id',
    { label: 'loginsPerSecond', value: 68 },
    { label: 'verificationsPerSecond', value: 80 },
    0.85,
  );
  expect(figure.value).toBeCloseTo(0.85);
  expect(figure.detail).toEqual({ loginsPerSecond: 68, verificationsPerSecond: 80 });
  expect(meets(figure)).toBe(true);
  expect(meets({ ...figure, value: 0.84 })).toBe(false);
});

test('a ratio over nothing is no number, so it can never pass', () => {
  const figure = ratioFigure('x', { label: 'a', value: 10 }, { label: 'b', value: 0 }, 0.9);
  expect(figure.value).toBeNaN();
  expect(meets(figure)).toBe(false);
});

test('the email figure holds p99 to three Kafka round trips plus one SMTP send', () => {
  const kafka = { p50Ms: 4, p99Ms: 16 };
  const smtp = { p50Ms: 2, p99Ms: 12 };
  const [p99, p50] = emailLatencyFigures({ p50Ms: 21, p99Ms: 60 }, kafka, smtp);
  expect(p99!.value).toBeCloseTo(60 / 60);
  expect(meets(p99!)).toBe(true);
  expect(p99!.detail).toMatchObject({ boundP99Ms: 60, emailP99Ms: 60 });
  expect(p50!.value).toBeCloseTo(21 / 14);
  expect(p50!.target).toBeUndefined();
  const [slow] = emailLatencyFigures({ p50Ms: 21, p99Ms: 61 }, kafka, smtp);
  expect(meets(slow!)).toBe(false);
});

test('the peak resident set is read from VmHWM in kB', () => {
  const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  153600 kB\nVmRSS:\t  140000 kB\n';
  expect(peakRssMb(status)).toBe(150);
  expect(peakRssMb('Name:\tnode\n')).toBeNaN();
});
