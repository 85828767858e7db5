import { isPublicAddress, resolveDestination, DestinationRefused } from './destination-guard';

const refused = (url: string, allowed: string[] = []) => resolveDestination(new URL(url), allowed);

describe('resolveDestination', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/',
    'http://172.16.3.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00:ec2::254]/',
    'http://[fe80::1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://localhost/',
  ])('refuses %s', async (url) => {
    await expect(refused(url)).rejects.toBeInstanceOf(DestinationRefused);
  });

  it('refuses schemes other than http(s) and credentials in the URL', async () => {
    await expect(refused('ftp://93.184.215.14/')).rejects.toThrow('only http and https');
    await expect(refused('http://user:pw@93.184.215.14/')).rejects.toThrow('credentials');
  });

  it('accepts a public address literal and pins it', async () => {
    await expect(refused('https://93.184.215.14/hook')).resolves.toEqual({ address: '93.184.215.14', family: 4 });
    await expect(refused('https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/')).resolves.toEqual({
      address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
      family: 6,
    });
  });

  it('lets the allow-list open a host for development', async () => {
    await expect(refused('http://127.0.0.1:8080/hook', ['127.0.0.1'])).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(refused('http://localhost:8080/hook', ['localhost'])).resolves.toMatchObject({ address: expect.any(String) });
  });

  it('refuses a name that does not resolve', async () => {
    await expect(refused('http://does-not-exist.invalid/')).rejects.toThrow('does not resolve');
  });
});

describe('isPublicAddress', () => {
  it('tells public from reserved addresses', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('224.0.0.1')).toBe(false);
    expect(isPublicAddress('not an address')).toBe(false);
  });
});
