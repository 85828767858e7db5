import { connectMongo, Metrics } from '@solar/chassis';
import { mongoUrlFor, testInfra, uniqueName } from '@solar/chassis/testing';

test('counts each command sent to the database by its name', async () => {
  const metrics = new Metrics('chassis-test');
  const db = await connectMongo(mongoUrlFor(testInfra(), uniqueName('chassis-mongo-commands')), { metrics });
  try {
    const things = db.collection('things');
    await things.insertOne({ n: 1 });
    await things.insertOne({ n: 2 });
    await things.findOne({ n: 2 });
    const { body } = await metrics.scrape();
    expect(body).toMatch(/solar_mongo_commands_total\{command="insert",service="chassis-test"\} 2\n/);
    expect(body).toMatch(/solar_mongo_commands_total\{command="find",service="chassis-test"\} 1\n/);
  } finally {
    await db.dropDatabase();
    await db.close();
  }
});
