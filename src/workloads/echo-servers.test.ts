import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FrameReader, decodeWsResponse, encodeTcpRequest, type EchoFrame } from './echo-frame.js';
import { attachWebSocketEcho, startTcpEcho } from './echo-servers.js';

const closers: (() => void)[] = [];
afterAll(() => closers.forEach((close) => close()));

describe('startTcpEcho', () => {
  it('echoes every frame of a connection in order, with its service time, whatever the write chunking', async () => {
    const server = startTcpEcho(0, 0);
    closers.push(() => server.close());
    await new Promise((resolve) => server.once('listening', resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    closers.push(() => socket.destroy());
    const reader = new FrameReader(8);
    const frames: EchoFrame[] = [];
    const three = new Promise<void>((resolve) => socket.on('data', (chunk) => frames.push(...reader.push(chunk)) >= 3 && resolve()));
    const stream = Buffer.concat([encodeTcpRequest(Buffer.alloc(1024, 7)), encodeTcpRequest(Buffer.from('b')), encodeTcpRequest(Buffer.from('cc'))]);
    // Split mid-header and mid-payload: the server must reassemble.
    socket.write(stream.subarray(0, 2));
    socket.write(stream.subarray(2, 600));
    socket.write(stream.subarray(600));
    await three;
    expect(frames.map((frame) => frame.payload.length)).toStrictEqual([1024, 1, 2]);
    expect(frames[0]?.payload.every((byte) => byte === 7)).toBe(true);
    expect(frames[2]?.payload.toString()).toBe('cc');
    for (const frame of frames) expect(frame.serviceTimeUs).toBeLessThan(1_000_000);
  });

  it('holds each answer for the app’s service time', async () => {
    const server = startTcpEcho(0, 20);
    closers.push(() => server.close());
    await new Promise((resolve) => server.once('listening', resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    closers.push(() => socket.destroy());
    const reader = new FrameReader(8);
    const frame = new Promise<EchoFrame>((resolve) => socket.on('data', (chunk) => reader.push(chunk).forEach(resolve)));
    socket.write(encodeTcpRequest(Buffer.from('x')));
    // setTimeout(20) never fires early; the stamped time includes the wait.
    expect((await frame).serviceTimeUs).toBeGreaterThanOrEqual(19_000);
  });
});

describe('attachWebSocketEcho', () => {
  it('answers an Upgrade on the HTTP server and echoes each message prefixed with the service time', async () => {
    const server = createServer((_, response) => response.end('http'));
    attachWebSocketEcho(server, 0);
    closers.push(() => server.close());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/echo`);
    closers.push(() => client.terminate());
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    const answers: Buffer[] = [];
    const two = new Promise<void>((resolve) => client.on('message', (data) => answers.push(data as Buffer) >= 2 && resolve()));
    client.send(Buffer.alloc(512, 3));
    client.send(Buffer.from('hi'));
    await two;
    expect(answers.map((answer) => decodeWsResponse(answer).payloadBytes)).toStrictEqual([512, 2]);
    expect(answers[1]?.subarray(4).toString()).toBe('hi');
  });
});
