// The Apache Avro Java peer of eventc-bench's codec group (Debian's libavro-java 1.8.2): the
// benchmark's PaymentCompleted decoded and encoded through a SpecificRecord compiled from version
// 3's schema by Avro's own compiler, with reused decoder, encoder and record. The same work as
// ours: the UUID's text parsed to a java.util.UUID, the decimal's bytes to a BigDecimal at scale
// 18, strings as Java strings; on encoding, the reverse. JIT warmed up: the best of many samples.
//
//   java Peer BYTES_FILE ITERATIONS SAMPLES
// prints `describe …` (what one decode read), `encoded HEX` (one encoding), then
// `decode_ns N` and `encode_ns N` (nanoseconds per record, the fastest sample).
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.UUID;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import payments.Method;
import payments.Money;
import payments.PaymentCompleted;

public class Peer {
    /** What the reader reads out of a record: typed values, as ours holds them. */
    static final class Event {
        String orderId;
        UUID paymentId;
        BigDecimal amount;
        String currency;
        long capturedAt;
        Method method;
        String note;
        int installments;
    }

    static Event convert(PaymentCompleted record) {
        Event event = new Event();
        event.orderId = record.getOrderId().toString();
        event.paymentId = UUID.fromString(record.getPaymentId().toString());
        ByteBuffer amount = record.getTotal().getAmount();
        byte[] unscaled = new byte[amount.remaining()];
        amount.duplicate().get(unscaled);
        event.amount = new BigDecimal(new BigInteger(unscaled), 18);
        event.currency = record.getTotal().getCurrency().toString();
        event.capturedAt = record.getCapturedAt();
        event.method = record.getMethod();
        event.note = record.getNote() == null ? null : record.getNote().toString();
        event.installments = record.getInstallments();
        return event;
    }

    static void fill(PaymentCompleted record, Event event) {
        record.setOrderId(event.orderId);
        record.setPaymentId(event.paymentId.toString());
        Money total = record.getTotal();
        total.setAmount(ByteBuffer.wrap(event.amount.setScale(18).unscaledValue().toByteArray()));
        total.setCurrency(event.currency);
        record.setCapturedAt(event.capturedAt);
        record.setMethod(event.method);
        record.setNote(event.note);
        record.setInstallments(event.installments);
    }

    static String describe(Event event) {
        String hex = String.format("%016x%016x", event.paymentId.getMostSignificantBits(), event.paymentId.getLeastSignificantBits());
        String amount = event.amount.signum() == 0 ? "0" : event.amount.stripTrailingZeros().toPlainString();
        return event.orderId + "|" + hex + "|" + amount + "|" + event.currency + "|" + event.capturedAt + "|"
            + event.method.toString() + "|" + (event.note == null ? "-" : event.note) + "|" + event.installments;
    }

    public static void main(String[] args) throws Exception {
        byte[] bytes = Files.readAllBytes(Paths.get(args[0]));
        int iterations = Integer.parseInt(args[1]);
        int samples = Integer.parseInt(args[2]);
        SpecificDatumReader<PaymentCompleted> reader = new SpecificDatumReader<>(PaymentCompleted.class);
        SpecificDatumWriter<PaymentCompleted> writer = new SpecificDatumWriter<>(PaymentCompleted.class);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        PaymentCompleted record = reader.read(null, decoder);
        Event event = convert(record);
        System.out.println("describe " + describe(event));
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        fill(record, event);
        writer.write(record, encoder);
        encoder.flush();
        StringBuilder hex = new StringBuilder();
        for (byte b : out.toByteArray()) hex.append(String.format("%02x", b));
        System.out.println("encoded " + hex);
        long sink = 0;
        long bestDecode = Long.MAX_VALUE, bestEncode = Long.MAX_VALUE;
        for (int sample = 0; sample < samples; sample++) {
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
                record = reader.read(record, decoder);
                sink += convert(record).installments;
            }
            bestDecode = Math.min(bestDecode, System.nanoTime() - start);
            start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                out.reset();
                encoder = EncoderFactory.get().binaryEncoder(out, encoder);
                fill(record, event);
                writer.write(record, encoder);
                encoder.flush();
                sink += out.size();
            }
            bestEncode = Math.min(bestEncode, System.nanoTime() - start);
        }
        System.out.println("decode_ns " + (double) bestDecode / iterations);
        System.out.println("encode_ns " + (double) bestEncode / iterations);
        if (sink == 42) System.out.println();
    }
}
