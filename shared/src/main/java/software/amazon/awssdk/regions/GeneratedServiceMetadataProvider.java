package software.amazon.awssdk.regions;

/**
 * Replaces the AWS SDK's own class of this name in every function jar (the root pom's shade filters
 * drop the SDK's copy and its regions/servicemetadata package). The SDK's copy builds one map of the
 * metadata of every AWS service (over 300 classes, 2 MB of jar) in its static initialiser, and every
 * client build asks it for its service's (AwsDefaultClientBuilder.resolveSigningRegion), so each cold
 * start loaded all of them. This one knows no service: ServiceMetadata.of then answers the SDK's
 * DefaultServiceMetadata ({prefix}.{region}.{dnsSuffix}, signed for the region itself), which gives the
 * same endpoint and signing region as the SDK's metadata for DynamoDB, SES v2 ("email") and EventBridge
 * ("events") in every region the SDK lists (docs/jar-trimming.md). Requests' endpoints come from each
 * client's endpoint rules, not from here.
 */
public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {
    @Override
    public ServiceMetadata serviceMetadata(String endpointPrefix) {
        return null;
    }
}
