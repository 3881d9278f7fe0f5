using System.Text;
using EditorBridge.Daemon.Wire;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Tests;

public sealed class JsonRequestDiagnosisTests
{
    [Theory]
    [InlineData("{\"layer\": {\"width\": 1.5}}", "layer.width", "expected a whole number (int32), got 1.5")]
    [InlineData("{\"layer\": {\"height\": true}}", "layer.height", "expected a whole number (int32), got true")]
    [InlineData("{\"geometry\": {\"growPixels\": 1e20}}", "geometry.grow_pixels", "1e20 is outside the range of int32")]
    [InlineData("{\"geometry\": {\"contextMarginPercent\": \"abc\"}}", "geometry.context_margin_percent", "expected a number")]
    [InlineData("{\"resultDelivery\": \"RESULT_DELIVERY_EMAIL\"}", "result_delivery", "unknown value \"RESULT_DELIVERY_EMAIL\"")]
    [InlineData("{\"operation\": {}}", "operation", "expected a string, got an object")]
    [InlineData("{\"mask\": \"abc\"}", "mask", "expected a JSON object (Mask)")]
    [InlineData("{\"mask\": {\"coverage\": \"AA\", \"blob_id\": \"x\"}}", "mask", "both coverage and blobId are set")]
    [InlineData("\"fill\"", "request body", "expected a JSON object (JobRequest)")]
    [InlineData("{\"a\": ", "request body", "not valid JSON")]
    public void Names_the_field_and_what_is_wrong(string json, string field, string problem)
    {
        var found = JsonRequestDiagnosis.Explain(Encoding.UTF8.GetBytes(json), JobRequest.Descriptor);
        Assert.NotNull(found);
        Assert.Equal(field, found.Value.Field);
        Assert.Contains(problem, found.Value.Problem);
    }

    [Theory]
    [InlineData("{\"operation\": \"fill\", \"layer\": {\"width\": \"32\", \"format\": 1, \"data\": \"AAAA\"}, \"seed\": \"7\"}")]
    [InlineData("{\"geometry\": {\"contextMarginPercent\": \"NaN\"}, \"parameters\": {\"x\": [1, {\"y\": null}]}}")]
    [InlineData("{\"unknownField\": {\"anything\": 1}, \"prompt\": null}")]
    public void Finds_nothing_in_what_proto3_json_allows(string json) =>
        Assert.Null(JsonRequestDiagnosis.Explain(Encoding.UTF8.GetBytes(json), JobRequest.Descriptor));
}
