export interface MailpitSummary {
  ID: string;
  MessageID: string;
  Subject: string;
  To: { Address: string; Name: string }[];
  Created: string;
}

export interface MailpitMessage extends MailpitSummary {
  Text: string;
  HTML: string;
}

/** The parts of Mailpit's HTTP API the tests read mail with. */
export class Mailpit {
  constructor(private readonly baseUrl: string) {}

  async search(query: string): Promise<MailpitSummary[]> {
    const url = new URL('/api/v1/search', this.baseUrl);
    url.searchParams.set('query', query);
    url.searchParams.set('limit', '200');
    const body = (await this.get(url)) as { messages: MailpitSummary[] };
    return body.messages;
  }

  async message(id: string): Promise<MailpitMessage> {
    return (await this.get(new URL(`/api/v1/message/${id}`, this.baseUrl))) as MailpitMessage;
  }

  async headers(id: string): Promise<Record<string, string[]>> {
    return (await this.get(new URL(`/api/v1/message/${id}/headers`, this.baseUrl))) as Record<string, string[]>;
  }

  private async get(url: URL): Promise<unknown> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Mailpit ${url.pathname} answered ${response.status}`);
    return response.json();
  }
}
